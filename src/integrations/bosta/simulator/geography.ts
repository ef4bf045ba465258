/**
 * A small Bosta geography fixture (§3.3): Bosta "cities" are governorates, then zones, then districts.
 * Ids are derived from the names so they are stable across seeds and runs (clients cache the catalogue).
 */
import { hashString, ID_ALPHABET, Rng } from './prng.js';

export interface SimDistrict {
  _id: string;
  name: string;
  nameAr: string;
  fmCode: string;
  dropOffAvailability: boolean;
  pickupAvailability: boolean;
}

export interface SimZone {
  _id: string;
  name: string;
  nameAr: string;
  districts: SimDistrict[];
}

export interface SimCity {
  _id: string;
  name: string;
  nameAr: string;
  alias: string;
  code: string;
  sector: number;
  dropOffAvailability: boolean;
  pickupAvailability: boolean;
  /** Share of customers living there. */
  weight: number;
  /** [lng, lat] of the city centre. */
  center: [number, number];
  zones: SimZone[];
}

export interface SimLocation {
  city: SimCity;
  zone: SimZone;
  district: SimDistrict;
}

/**
 * The fixture as text: a city line (name | Arabic | code | sector | weight | lng,lat), then its zones indented
 * (name | Arabic | districts as `name=Arabic` separated by `;`). A leading `!` marks no drop-off coverage.
 */
const FIXTURE = `
Cairo | القاهره | EG-01 | 1 | 30 | 31.24,30.05
  Nasr City | مدينه نصر | ElHay 10=الحي العاشر; ElHay 7=الحي السابع; Makram Ebeid=مكرم عبيد; Abbas El Akkad=عباس العقاد
  Heliopolis | مصر الجديده | Korba=الكوربه; Ard El Golf=أرض الجولف; Almaza=ألماظه
  Maadi | المعادي | Degla=دجله; Sarayat El Maadi=سرايات المعادي; Zahraa El Maadi=زهراء المعادي
  New Cairo | القاهره الجديده | Fifth Settlement=التجمع الخامس; Rehab=الرحاب; Madinaty=مدينتي
  Shubra | شبرا | Rod El Farag=روض الفرج; Shubra Misr=شبرا مصر
  Helwan | حلوان | Helwan Center=وسط حلوان; !15th of May=مدينه 15 مايو
  Obour | العبور | Obour City=مدينه العبور
  Downtown | وسط البلد | Garden City=جاردن سيتي; Abdeen=عابدين
Giza | الجيزه | EG-25 | 1 | 18 | 31.21,30.01
  Dokki | الدقي | Dokki=الدقي; Mesaha Square=ميدان المساحه
  Mohandessin | المهندسين | Gameat El Dowal=جامعه الدول; Shehab=شهاب
  Haram | الهرم | Talbia=الطالبيه; Faisal=فيصل; Mariouteya=المريوطيه
  6th of October | السادس من أكتوبر | El Hay El Awal=الحي الأول; Sheikh Zayed=الشيخ زايد; Hadayek October=حدائق أكتوبر
  Imbaba | إمبابه | Kit Kat=الكيت كات; !Warraq=الوراق
Alexandria | الإسكندريه | EG-02 | 2 | 12 | 29.92,31.2
  Smouha | سموحه | Smouha=سموحه; Victor Emmanuel=فيكتور عمانويل
  Sidi Gaber | سيدي جابر | Sidi Gaber=سيدي جابر; Cleopatra=كليوباترا
  Miami | ميامي | Miami=ميامي; Asafra=العصافره; Mandara=المندره
  Agami | العجمي | Bitash=البيطاش; !Hanoville=هانوفيل
  Montaza | المنتزه | Maamoura=المعموره; Abu Qir=أبو قير
Qalyubia | القليوبيه | EG-06 | 3 | 6 | 31.18,30.46
  Banha | بنها | Banha Center=وسط بنها; Kafr El Gazzar=كفر الجزار
  Shubra El Kheima | شبرا الخيمه | Bahtim=بهتيم; Mostorod=مسطرد
  Qalyub | قليوب | Qalyub Center=وسط قليوب
Dakahlia | الدقهليه | EG-05 | 3 | 5 | 31.38,31.04
  Mansoura | المنصوره | Mansoura University=جامعه المنصوره; Toriel=توريل; Mashaya=المشايه
  Talkha | طلخا | Talkha Center=وسط طلخا
  Mit Ghamr | ميت غمر | Mit Ghamr Center=وسط ميت غمر
Sharqia | الشرقيه | EG-10 | 3 | 5 | 31.5,30.59
  Zagazig | الزقازيق | Qawmia=القوميه; Zagazig University=جامعه الزقازيق
  10th of Ramadan | العاشر من رمضان | First District=المجاوره الأولى
  Belbeis | بلبيس | Belbeis Center=وسط بلبيس
Gharbia | الغربيه | EG-07 | 3 | 4 | 31.0,30.79
  Tanta | طنطا | El Bahr Street=شارع البحر; Saeed Street=شارع سعيد
  El Mahalla El Kubra | المحله الكبرى | Mahalla Center=وسط المحله
Monufia | المنوفيه | EG-09 | 3 | 3 | 31.01,30.56
  Shebin El Kom | شبين الكوم | Shebin Center=وسط شبين
  Menouf | منوف | Menouf Center=وسط منوف
Beheira | البحيره | EG-04 | 3 | 3 | 30.47,31.03
  Damanhour | دمنهور | Damanhour Center=وسط دمنهور
  Kafr El Dawar | كفر الدوار | Kafr El Dawar Center=وسط كفر الدوار
Ismailia | الإسماعيليه | EG-11 | 3 | 2 | 32.27,30.6
  Ismailia | الإسماعيليه | Sheikh Zayed District=حي الشيخ زايد; Ismailia Center=وسط الإسماعيليه
Port Said | بورسعيد | EG-13 | 3 | 2 | 32.3,31.26
  Port Said | بورسعيد | El Sharq=حي الشرق; Port Fouad=بورفؤاد
Suez | السويس | EG-12 | 3 | 1.5 | 32.53,29.97
  Suez | السويس | El Arbaeen=حي الأربعين
Damietta | دمياط | EG-14 | 3 | 1.5 | 31.81,31.42
  New Damietta | دمياط الجديده | New Damietta=دمياط الجديده
  Damietta | دمياط | Damietta Center=وسط دمياط
Fayoum | الفيوم | EG-15 | 4 | 1 | 30.84,29.31
  Fayoum | الفيوم | Fayoum Center=وسط الفيوم
Minya | المنيا | EG-19 | 4 | 1 | 30.75,28.1
  Minya | المنيا | Minya Center=وسط المنيا
Asyut | أسيوط | EG-17 | 4 | 1 | 31.18,27.18
  Asyut | أسيوط | Asyut Center=وسط أسيوط
Sohag | سوهاج | EG-18 | 4 | 1 | 31.7,26.56
  Sohag | سوهاج | Sohag Center=وسط سوهاج
Luxor | الأقصر | EG-22 | 4 | 0.7 | 32.64,25.69
  Luxor | الأقصر | Luxor Center=وسط الأقصر
Aswan | أسوان | EG-21 | 4 | 0.7 | 32.9,24.09
  Aswan | أسوان | Aswan Center=وسط أسوان
Red Sea | البحر الأحمر | EG-23 | 4 | 0.8 | 33.81,27.26
  Hurghada | الغردقه | El Dahar=الدهار; Sakala=السقاله
North Coast | الساحل الشمالي | EG-29 | 4 | 0.3 | 28.95,30.83
  El Alamein | العلمين | Marina=مارينا; !Sidi Abdel Rahman=سيدي عبد الرحمن
!New Valley | الوادي الجديد | EG-24 | 4 | 0 | 30.55,25.45
  Kharga | الخارجه | Kharga Center=وسط الخارجه
`;

const CITY_ID_ALPHABET = ID_ALPHABET.replace(/[_-]/g, '');

function stableId(salt: string, length: number): string {
  return new Rng(hashString(salt)).chars(length, CITY_ID_ALPHABET);
}

function buildCities(): SimCity[] {
  const cities: SimCity[] = [];
  let fm = 0;
  for (const raw of FIXTURE.split('\n')) {
    if (raw.trim() === '') continue;
    const cells = raw
      .trim()
      .split('|')
      .map((c) => c.trim());
    if (!raw.startsWith(' ')) {
      const [flaggedName, nameAr, code, sector, weight, center] = cells;
      const available = !flaggedName.startsWith('!');
      const name = flaggedName.replace(/^!/, '');
      const [lng, lat] = center.split(',').map(Number);
      cities.push({
        _id: stableId(`city:${name}`, 17),
        name,
        nameAr,
        alias: name.toLowerCase().replace(/\s+/g, '-'),
        code,
        sector: Number(sector),
        dropOffAvailability: available,
        pickupAvailability: available,
        weight: Number(weight),
        center: [lng, lat],
        zones: [],
      });
      continue;
    }
    const city = cities[cities.length - 1];
    const [zoneName, zoneAr, districtList] = cells;
    city.zones.push({
      _id: stableId(`zone:${city.name}:${zoneName}`, 9),
      name: zoneName,
      nameAr: zoneAr,
      districts: districtList.split(';').map((entry) => {
        const [flagged, districtAr] = entry.split('=').map((x) => x.trim());
        const districtName = flagged.replace(/^!/, '');
        const available = city.dropOffAvailability && !flagged.startsWith('!');
        return {
          _id: stableId(`district:${city.name}:${zoneName}:${districtName}`, 11),
          name: districtName,
          nameAr: districtAr,
          fmCode: `${city.code.slice(3)}-${String(++fm).padStart(3, '0')}`,
          dropOffAvailability: available,
          pickupAvailability: available,
        };
      }),
    });
  }
  return cities;
}

export const SIM_CITIES: readonly SimCity[] = buildCities();

/** Every district a courier can drop off at, flattened, for drawing customer addresses. */
export const DELIVERABLE_LOCATIONS: readonly SimLocation[] = SIM_CITIES.flatMap((city) =>
  city.zones.flatMap((zone) =>
    zone.districts.filter((d) => d.dropOffAvailability).map((district) => ({ city, zone, district })),
  ),
);

/** Weight of each entry of DELIVERABLE_LOCATIONS: the city weight spread over its districts. */
export const DELIVERABLE_WEIGHTS: readonly number[] = DELIVERABLE_LOCATIONS.map(
  (loc) => loc.city.weight / DELIVERABLE_LOCATIONS.filter((l) => l.city === loc.city).length,
);

const districtIndex = new Map<string, SimLocation>();
for (const city of SIM_CITIES)
  for (const zone of city.zones)
    for (const district of zone.districts) districtIndex.set(district._id, { city, zone, district });

export function findDistrictById(id: string): SimLocation | undefined {
  return districtIndex.get(id);
}

/** Bosta matches the city by name; accept English, Arabic, alias and code, case-insensitively. */
export function findCityByName(name: string): SimCity | undefined {
  const key = name.trim().toLowerCase();
  return SIM_CITIES.find(
    (c) => c.name.toLowerCase() === key || c.nameAr === name.trim() || c.alias === key || c.code.toLowerCase() === key,
  );
}

export function findCityById(id: string): SimCity | undefined {
  return SIM_CITIES.find((c) => c._id === id);
}

/** A district of `city` by English or Arabic name. */
export function findDistrictByName(city: SimCity, name: string): SimLocation | undefined {
  const key = name.trim().toLowerCase();
  for (const zone of city.zones)
    for (const district of zone.districts)
      if (district.name.toLowerCase() === key || district.nameAr === name.trim()) return { city, zone, district };
  return undefined;
}

/** Shipping fee in EGP by Bosta sector (Cairo/Giza cheapest, Upper Egypt dearest). */
export function shipmentFeeFor(city: SimCity, typeCode: number): number {
  const base = [54, 54, 60, 65, 80][city.sector] ?? 65;
  return typeCode === 25 || typeCode === 30 ? base + 11 : base;
}
