/**
 * Address objects of the simulator: the merchant's pickup locations, customer addresses in Bosta's stored
 * shape (§4.1), and resolution of create-time addresses (§5.2) with Bosta's error codes.
 */
import { BOSTA_EGYPT_COUNTRY_ID } from '../codes.js';
import type { BostaAddress, BostaCreateAddress, BostaPickupLocation } from '../types.js';
import {
  findCityById,
  findCityByName,
  findDistrictById,
  findDistrictByName,
  SIM_CITIES,
  type SimCity,
  type SimLocation,
} from './geography.js';

export const SIM_BUSINESS = {
  _id: 'bizHvarHome00000000001',
  name: 'HVAR Home Appliances',
  phone: '+201001112233',
  type: 'BUSINESS_ACCOUNT',
  subAccountId: null,
} as const;

export interface AddressLines {
  firstLine: string;
  secondLine?: string;
  buildingNumber?: string;
  floor?: string;
  apartment?: string;
  isWorkAddress?: boolean;
  locationName?: string;
  geoLocation?: number[];
  businessLocationId?: string | null;
}

const COUNTRY = { _id: BOSTA_EGYPT_COUNTRY_ID, name: 'Egypt', code: 'EG' };

/** Bosta's stored address for a location (city/zone/district may be unknown for lenient creates). */
export function storedAddress(location: Partial<SimLocation> & { city?: SimCity }, lines: AddressLines): BostaAddress {
  const { city, zone, district } = location;
  const address: BostaAddress = {
    country: COUNTRY,
    city: city ? { _id: city._id, name: city.name, nameAr: city.nameAr, sector: city.sector } : null,
    zone: zone ? { _id: zone._id, name: zone.name, nameAr: zone.nameAr } : null,
    district: district
      ? { _id: district._id, name: district.name, nameAr: district.nameAr, fmCode: district.fmCode }
      : null,
    firstLine: lines.firstLine,
  };
  if (lines.secondLine) address.secondLine = lines.secondLine;
  if (lines.buildingNumber) address.buildingNumber = lines.buildingNumber;
  if (lines.floor) address.floor = lines.floor;
  if (lines.apartment) address.apartment = lines.apartment;
  address.isWorkAddress = lines.isWorkAddress ?? false;
  if (lines.locationName) address.locationName = lines.locationName;
  if (lines.geoLocation) address.geoLocation = lines.geoLocation;
  address.userEnteredGeoLocation = false;
  address.businessLocationId = lines.businessLocationId ?? null;
  return address;
}

function locate(cityName: string, zoneName: string, districtName: string): SimLocation {
  const city = SIM_CITIES.find((c) => c.name === cityName) as SimCity;
  const zone = city.zones.find((z) => z.name === zoneName) ?? city.zones[0];
  const district = zone.districts.find((d) => d.name === districtName) ?? zone.districts[0];
  return { city, zone, district };
}

interface PickupLocationFixture {
  _id: string;
  locationName: string;
  isDefault: boolean;
  location: SimLocation;
  firstLine: string;
}

const PICKUP_LOCATIONS: PickupLocationFixture[] = [
  {
    _id: 'LOC0hvar01',
    locationName: 'Main warehouse',
    isDefault: true,
    location: locate('Cairo', 'Obour', 'Obour City'),
    firstLine: 'Industrial Zone A, Block 13, Obour City',
  },
  {
    _id: 'LOC0hvar02',
    locationName: 'Nasr City showroom',
    isDefault: false,
    location: locate('Cairo', 'Nasr City', 'Abbas El Akkad'),
    firstLine: '45 Abbas El Akkad St., Nasr City',
  },
];

export const DEFAULT_PICKUP_LOCATION_ID = PICKUP_LOCATIONS[0]._id;

const businessAddresses = new Map<string, BostaAddress>(
  PICKUP_LOCATIONS.map((loc) => [
    loc._id,
    storedAddress(loc.location, {
      firstLine: loc.firstLine,
      locationName: loc.locationName,
      businessLocationId: loc._id,
    }),
  ]),
);
const businessAddressTexts = new Map([...businessAddresses].map(([id, address]) => [id, JSON.stringify(address)]));

/** Where the merchant hands parcels over and where returns go back (a shared, read-only object). */
export function businessAddress(locationId?: string): BostaAddress {
  return businessAddresses.get(locationId ?? '') ?? (businessAddresses.get(DEFAULT_PICKUP_LOCATION_ID) as BostaAddress);
}

/** JSON text of businessAddress(locationId), memoised. */
export function businessAddressJson(locationId?: string): string {
  return businessAddressTexts.get(locationId ?? '') ?? (businessAddressTexts.get(DEFAULT_PICKUP_LOCATION_ID) as string);
}

export function pickupLocations(): BostaPickupLocation[] {
  return PICKUP_LOCATIONS.map((l) => ({
    _id: l._id,
    locationName: l.locationName,
    isDefault: l.isDefault,
    contactPerson: { name: 'Warehouse desk', phone: SIM_BUSINESS.phone, secPhone: '', email: 'ops@hvar.example' },
    contacts: [
      { name: 'Warehouse desk', firstName: 'Warehouse', lastName: 'desk', phone: SIM_BUSINESS.phone, isDefault: true },
    ],
    address: businessAddress(l._id),
  }));
}

export function isKnownPickupLocation(id: string): boolean {
  return PICKUP_LOCATIONS.some((l) => l._id === id);
}

export interface AddressProblem {
  errorCode: string;
  message: string;
}

/**
 * Resolves a create-time address. With `strict` (apiVersion=1): `city` by name plus one of `districtId` or
 * (`districtName` + `cityId`); without it `{city, firstLine}` alone is accepted ("Unclear Addresses").
 */
export function resolveCreateAddress(input: BostaCreateAddress, strict: boolean): BostaAddress | AddressProblem {
  if (!input || typeof input !== 'object') return { errorCode: '3001', message: 'Address is required.' };
  const firstLine = typeof input.firstLine === 'string' ? input.firstLine.trim() : '';
  if (firstLine.length <= 5) {
    return { errorCode: '1000', message: '"firstLine" length must be greater than 5 characters.' };
  }
  const city = typeof input.city === 'string' ? findCityByName(input.city) : undefined;
  if (!city) return { errorCode: '3001', message: `City "${String(input.city ?? '')}" not found.` };
  let location: Partial<SimLocation> & { city: SimCity } = { city };
  if (input.districtId) {
    const found = findDistrictById(input.districtId);
    if (!found || found.city !== city) return { errorCode: '3003', message: 'District not found.' };
    location = found;
  } else if (input.districtName && input.cityId) {
    const byId = findCityById(input.cityId);
    if (!byId || byId !== city) return { errorCode: '3002', message: 'City not found for the given cityId.' };
    const found = findDistrictByName(city, input.districtName);
    if (!found) return { errorCode: '3003', message: 'District not found.' };
    location = found;
  } else if (strict) {
    return { errorCode: '1000', message: 'Address must contain "districtId" or "districtName" with "cityId".' };
  }
  if (location.district && !location.district.dropOffAvailability) {
    return { errorCode: '3003', message: 'Bosta does not deliver to this district.' };
  }
  return storedAddress(location, {
    firstLine,
    secondLine: input.secondLine,
    buildingNumber: input.buildingNumber,
    floor: input.floor,
    apartment: input.apartment,
    isWorkAddress: input.isWorkAddress,
    locationName: input.locationName,
    geoLocation: input.geoLocation,
  });
}

export function isAddressProblem(value: BostaAddress | AddressProblem): value is AddressProblem {
  return (value as AddressProblem).errorCode !== undefined;
}
