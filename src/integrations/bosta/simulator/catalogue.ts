/**
 * The simulated merchant's catalogue: small kitchen appliances sold cash-on-delivery across Egypt, with EGP
 * prices, and the spare parts and repair fees used by after-sales orders.
 */

export interface SimProduct {
  sku: string;
  nameEn: string;
  nameAr: string;
  /** Retail price in EGP. */
  price: number;
  weightKg: number;
  size: 'SMALL' | 'MEDIUM' | 'LARGE';
  packageType: 'Parcel' | 'Light Bulky';
  /** Relative sales volume. */
  popularity: number;
  /** A part that fails and is sent out for free or repaired. */
  partEn: string;
  partAr: string;
}

type Row = [
  sku: string,
  en: string,
  ar: string,
  price: number,
  kg: number,
  size: SimProduct['size'],
  popularity: number,
  partEn: string,
  partAr: string,
];

const ROWS: Row[] = [
  ['HV-AF40', 'Air Fryer 4L', 'قلاية هوائية 4 لتر', 3450, 4.5, 'MEDIUM', 10, 'Fryer basket', 'سلة القلاية'],
  [
    'HV-AF65',
    'Digital Air Fryer 6.5L',
    'قلاية هوائية ديجيتال 6.5 لتر',
    5299,
    6,
    'MEDIUM',
    12,
    'Fryer basket',
    'سلة القلاية',
  ],
  [
    'HV-AF80D',
    'Dual Basket Air Fryer 8L',
    'قلاية هوائية بسلتين 8 لتر',
    7850,
    8,
    'LARGE',
    5,
    'Basket handle',
    'يد السلة',
  ],
  ['HV-BL600', 'Blender 1.5L 600W', 'خلاط 1.5 لتر 600 وات', 1650, 2.5, 'SMALL', 9, 'Blender jar', 'دورق الخلاط'],
  [
    'HV-BL1200',
    'Glass Blender 1200W',
    'خلاط زجاج 1200 وات',
    2450,
    3.5,
    'MEDIUM',
    8,
    'Blade assembly',
    'مجموعة السكاكين',
  ],
  ['HV-HM300', 'Hand Mixer 300W', 'مضرب يدوي 300 وات', 899, 1.2, 'SMALL', 6, 'Beater set', 'طقم المضارب'],
  ['HV-SM1000', 'Stand Mixer 1000W', 'عجان 1000 وات', 6499, 7.5, 'LARGE', 4, 'Mixing bowl', 'وعاء العجن'],
  ['HV-MW25', 'Microwave 25L', 'ميكروويف 25 لتر', 4750, 12, 'LARGE', 5, 'Glass turntable', 'الطبق الدوار'],
  ['HV-MWG30', 'Grill Microwave 30L', 'ميكروويف جريل 30 لتر', 6200, 14, 'LARGE', 3, 'Glass turntable', 'الطبق الدوار'],
  ['HV-OV45', 'Electric Oven 45L', 'فرن كهربائي 45 لتر', 5950, 11, 'LARGE', 4, 'Baking tray', 'صينية الخبز'],
  ['HV-OV70', 'Electric Oven 70L', 'فرن كهربائي 70 لتر', 8900, 16, 'LARGE', 2, 'Thermostat', 'الترموستات'],
  ['HV-KT17', 'Electric Kettle 1.7L', 'غلاية كهربائية 1.7 لتر', 750, 1, 'SMALL', 9, 'Kettle base', 'قاعدة الغلاية'],
  ['HV-KTG', 'Glass Kettle 1.8L', 'غلاية زجاج 1.8 لتر', 1099, 1.3, 'SMALL', 6, 'Kettle lid', 'غطاء الغلاية'],
  ['HV-CM12', 'Drip Coffee Maker', 'ماكينة قهوة بالتنقيط', 1850, 2.2, 'MEDIUM', 4, 'Glass carafe', 'إبريق الزجاج'],
  ['HV-ES15', 'Espresso Machine 15 bar', 'ماكينة إسبريسو 15 بار', 7499, 5, 'MEDIUM', 3, 'Portafilter', 'حامل الفلتر'],
  ['HV-TC01', 'Turkish Coffee Maker', 'ماكينة قهوة تركي', 1299, 1.1, 'SMALL', 6, 'Coffee pot', 'الكنكة'],
  ['HV-FP800', 'Food Processor 800W', 'محضر طعام 800 وات', 3999, 5.5, 'MEDIUM', 5, 'Slicing disc', 'قرص التقطيع'],
  ['HV-TS2', 'Toaster 2 Slices', 'محمصة خبز شريحتين', 850, 1.4, 'SMALL', 5, 'Crumb tray', 'درج الفتات'],
  ['HV-SW4', 'Sandwich Maker', 'صانعة سندويتشات', 999, 1.6, 'SMALL', 6, 'Grill plates', 'ألواح الشواية'],
  ['HV-JC700', 'Juicer 700W', 'عصارة 700 وات', 2199, 3, 'MEDIUM', 4, 'Juicer filter', 'فلتر العصارة'],
  ['HV-CP40', 'Citrus Press', 'عصارة موالح', 650, 0.9, 'SMALL', 4, 'Reamer cone', 'مخروط العصر'],
  ['HV-CH400', 'Chopper 400W', 'كبة 400 وات', 749, 1, 'SMALL', 7, 'Chopper blade', 'سكينة الكبة'],
  ['HV-GR2000', 'Electric Grill 2000W', 'شواية كهربائية 2000 وات', 2650, 4, 'MEDIUM', 4, 'Grill plate', 'لوح الشواية'],
  ['HV-RC18', 'Rice Cooker 1.8L', 'حلة أرز كهربائية 1.8 لتر', 1450, 2.4, 'MEDIUM', 3, 'Inner pot', 'الحلة الداخلية'],
  ['HV-DF3', 'Deep Fryer 3L', 'قلاية زيت 3 لتر', 1899, 3.2, 'MEDIUM', 3, 'Oil filter', 'فلتر الزيت'],
  ['HV-CG150', 'Coffee Grinder', 'مطحنة قهوة', 599, 0.8, 'SMALL', 5, 'Grinder lid', 'غطاء المطحنة'],
];

export const SIM_PRODUCTS: readonly SimProduct[] = ROWS.map(
  ([sku, nameEn, nameAr, price, weightKg, size, popularity, partEn, partAr]) => ({
    sku,
    nameEn,
    nameAr,
    price,
    weightKg,
    size,
    packageType: size === 'LARGE' && weightKg > 10 ? 'Light Bulky' : 'Parcel',
    popularity,
    partEn,
    partAr,
  }),
);

export const PRODUCT_WEIGHTS: readonly number[] = SIM_PRODUCTS.map((p) => p.popularity);

/** Paid repair fees (EGP) charged when a repaired unit is sent back; all ≤ 500 (a "Maintenance Order"). */
export const REPAIR_FEES: readonly number[] = [120, 150, 180, 200, 250, 300, 350, 400, 450, 500];

/** Why customers send appliances back, for CRP/exchange descriptions. */
export const RETURN_REASONS: ReadonlyArray<readonly [string, string]> = [
  ['motor overheats', 'الموتور بيسخن'],
  ['does not turn on', 'مش بيشتغل'],
  ['broken part on arrival', 'قطعة مكسورة عند الاستلام'],
  ['noisy', 'صوت عالي'],
  ['customer changed mind', 'العميل غير رأيه'],
  ['wrong colour delivered', 'اللون غلط'],
  ['leaks water', 'بيسرب مياه'],
  ['heating element failed', 'السخان بايظ'],
];
