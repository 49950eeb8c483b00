import { SourceRejected } from '../errors';
import type { Puller } from '../pull';
import { pullStoreOrder, storeQuery } from './store-pull';
import { pullTracking, trackingQuery, type TrackingQuestion } from './tracking-pull';
import type { CarrierTracker, StoreOrders } from './types';

/** Kind "store": the dispute's order, by payment id or else email + amount. */
export const storePuller: Puller = {
  query: storeQuery,
  pull: ({ db, log, payments, source, client, input }) => pullStoreOrder({ db, log, payments }, source, client as StoreOrders, input),
};

/** Kind "tracking": every parcel of the dispute's order not yet delivered (or without scans). */
export const trackingPuller: Puller = {
  query: trackingQuery,
  pull: ({ db, log, source, client, query }) => {
    if (source !== 'aftership' && source !== 'easypost') throw new SourceRejected(source, 400, 'not a tracking aggregator');
    return pullTracking({ db, log }, source, client as CarrierTracker, query as TrackingQuestion);
  },
};
