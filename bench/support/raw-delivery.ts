/**
 * A Bosta delivery document (`order_documents.raw`) for seeded orders, shaped and sized like the simulator's
 * search items (~4.5 KB), built by string concatenation from a template so a million of them cost seconds.
 * Only the order detail reads it, but it is most of the bytes ingest writes, so seeded books carry it too.
 */

const FIELDS = [
  'id',
  'tn',
  'typeCode',
  'typeValue',
  'stateCode',
  'stateValue',
  'masked',
  'cod',
  'fees',
  'ref',
  'first',
  'last',
  'full',
  'phone',
  'city',
  'zone',
  'district',
  'line',
  'description',
  'created',
  'updated',
] as const;

const ph = (f: (typeof FIELDS)[number]) => `@@${f}@@`;

const WAREHOUSE_ADDRESS = {
  country: { _id: '60e4482c7cb7d4bc4849c4d5', name: 'Egypt', code: 'EG' },
  city: { _id: 'GgrNI6iXZTwq5sxHY', name: 'Cairo', nameAr: 'القاهره', sector: 1 },
  zone: { _id: 'Wf72SsiKy', name: 'Obour', nameAr: 'العبور' },
  district: { _id: 'JBkiFOsUdbs', name: 'Obour City', nameAr: 'مدينه العبور', fmCode: '01-018' },
  firstLine: 'Industrial Zone A, Block 13, Obour City',
  isWorkAddress: false,
  locationName: 'Main warehouse',
  userEnteredGeoLocation: false,
  businessLocationId: 'LOC0hvar01',
};

const TEMPLATE = {
  _id: ph('id'),
  trackingNumber: ph('tn'),
  type: { code: ph('typeCode'), value: ph('typeValue') },
  state: {
    code: ph('stateCode'),
    value: ph('stateValue'),
    childState: null,
    receivedAtWarehouse: {
      time: ph('created'),
      location: null,
      warehouse: { _id: 'whMostorod', name: 'Mostorod Hub', nameAr: 'مستودع مسطرد', type: 'HUB' },
    },
    returnedToBusiness: null,
    exception: [],
    waitingForBusinessAction: false,
  },
  maskedState: ph('masked'),
  cod: ph('cod'),
  shipmentFees: ph('fees'),
  paymentMethod: 'COD',
  businessReference: ph('ref'),
  uniqueBusinessReference: ph('ref'),
  allowToOpenPackage: false,
  isConfirmedDelivery: false,
  receiver: { firstName: ph('first'), lastName: ph('last'), fullName: ph('full'), phone: ph('phone') },
  sender: {
    _id: 'bizHvarHome00000000001',
    name: 'HVAR Home Appliances',
    phone: '+201001112233',
    type: 'BUSINESS_ACCOUNT',
    subAccountId: null,
  },
  holder: { _id: 'starF2Y5lqn3', name: 'Bishoy Girgis', phone: '+201199573062', role: 'STAR' },
  star: { _id: 'starF2Y5lqn3', name: 'Bishoy Girgis', phone: '+201199573062' },
  pickupAddress: WAREHOUSE_ADDRESS,
  dropOffAddress: {
    country: { _id: '60e4482c7cb7d4bc4849c4d5', name: 'Egypt', code: 'EG' },
    city: { name: ph('city') },
    zone: { name: ph('zone') },
    district: { name: ph('district') },
    firstLine: ph('line'),
    isWorkAddress: false,
    locationName: 'Home',
    userEnteredGeoLocation: false,
    businessLocationId: null,
  },
  returnAddress: WAREHOUSE_ADDRESS,
  specs: {
    packageType: 'Parcel',
    size: 'MEDIUM',
    weight: 2.2,
    packageDetails: { itemsCount: 1, description: ph('description') },
  },
  returnSpecs: null,
  goodsInfo: { amount: ph('cod') },
  timeline: [
    { value: 'new', code: 10, done: true, date: ph('created') },
    { value: 'picked_up', code: 21, done: true, date: ph('created') },
    { value: 'in_transit', code: 30, done: true, date: ph('created') },
    { value: 'out_for_delivery', code: 41, done: true, date: ph('updated') },
    { value: 'delivered', code: 45, done: false },
  ],
  createdAt: ph('created'),
  updatedAt: ph('updated'),
  scheduledAt: ph('created'),
  attemptsCount: 1,
  callsNumber: 1,
  smsNumber: 1,
  sla: {
    orderSla: { isExceededOrderSla: false, orderSlaTimestamp: ph('updated') },
    e2eSla: { isExceededE2ESla: false, e2eSlaTimestamp: ph('updated') },
  },
  wallet: {
    cashCycle: {
      size: 'Normal',
      cod: ph('cod'),
      bosta_fees: '61.56',
      shipping_fees: '54.00',
      collection_fees: '0.00',
      cod_fees: '0.00',
      pos_fees: '0.00',
      insurance_fees: '0.00',
      expedite_fees: '0.00',
      opening_package_fees: '0.00',
      flex_ship_fees: '0.00',
      rto_discount: '0.00',
      promotion_discount_amount: '0.00',
      vat: '7.56',
      bosta_credits_consumed: 0,
      deposited_at: ph('updated'),
    },
    cashout: null,
    compensation: null,
  },
  assignedHub: { _id: 'whMostorod', name: 'Mostorod Hub', forcedAssignment: false },
  creationSrc: 'API',
  exceptionReason: null,
  exceptionCode: null,
  parcels: null,
};

/** Position of each field in the fragments array `rawDeliveryJson` takes. */
export const RAW_FIELD = Object.fromEntries(FIELDS.map((f, i) => [f, i])) as { [K in (typeof FIELDS)[number]]: number };
export const RAW_FIELD_COUNT = FIELDS.length;

/** The template split around its placeholders: text, field index, text, field index, …, text. */
function compile(): { texts: string[]; fields: number[] } {
  const json = JSON.stringify(TEMPLATE);
  const texts: string[] = [];
  const fields: number[] = [];
  const re = /"@@([a-zA-Z]+)@@"/g;
  let last = 0;
  for (let m = re.exec(json); m; m = re.exec(json)) {
    texts.push(json.slice(last, m.index));
    fields.push(RAW_FIELD[m[1] as (typeof FIELDS)[number]]);
    last = m.index + m[0].length;
  }
  texts.push(json.slice(last));
  return { texts, fields };
}

const COMPILED = compile();

/**
 * One document as JSON text from its field values already written as JSON (`"text"`, `12.5`, `null`), in
 * RAW_FIELD order: the caller encodes each distinct value once (names, places, products) and reuses it.
 */
export function rawDeliveryJson(fragments: readonly string[]): string {
  const { texts, fields } = COMPILED;
  let out = texts[0];
  for (let i = 0; i < fields.length; i++) out += fragments[fields[i]] + texts[i + 1];
  return out;
}
