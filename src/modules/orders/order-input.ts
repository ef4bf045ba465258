/** A state the order passed through, as the source reported it. */
export interface TimelineInput {
  code: number;
  name: string;
  at: string;
}

/**
 * One order as any source (courier sync, courier webhook, POS, ERP) hands it to the ingest flow: flat,
 * source-neutral, money in minor units, times as ISO UTC strings.
 */
export interface OrderInput {
  source: string;
  externalId: string;
  trackingNumber: string | null;
  businessReference: string | null;
  typeCode: number;
  typeName: string;
  stateCode: number;
  stateName: string;
  maskedState: string | null;
  codMinor: number;
  feesMinor: number;
  receiverName: string | null;
  receiverPhoneRaw: string | null;
  secondPhone: string | null;
  city: string | null;
  zone: string | null;
  district: string | null;
  address: string | null;
  packageDescription: string | null;
  itemsCount: number | null;
  courierNotes: string | null;
  attempts: number;
  calls: number;
  paymentMethod: string | null;
  exceptionReason: string | null;
  exceptionCode: string | null;
  createdAt: string;
  updatedAt: string;
  deliveredAt: string | null;
  returnedAt: string | null;
  timeline: TimelineInput[];
  /**
   * The source's own document, kept whole (`order_documents`). `undefined` leaves the stored one as it is: a
   * webhook carries only what changed, not the whole delivery.
   */
  raw: unknown;
  /** The same document already serialized as JSON (a page decoded off the main thread); stored instead of `raw`. */
  rawJson?: string;
}
