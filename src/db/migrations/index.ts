import type { Migration } from 'kysely';
import * as events from './0001_events';
import * as disputes from './0002_disputes';
import * as timeline from './0003_dispute_timeline';
import * as merchantRecords from './0004_merchant_records';
import * as packets from './0005_packets';
import * as submissions from './0006_submissions';
import * as alerts from './0007_alerts';
import * as moduleNames from './0008_module_names';
import * as reconcile from './0009_reconcile';
import * as insightsIndexes from './0010_insights_indexes';
import * as resolution from './0011_resolution';
import * as sources from './0012_sources';
import * as recordOrigins from './0013_record_origins';

import * as submissionCompleteness from './0014_submission_completeness';
import * as alertSchedules from './0015_alert_schedules';
import * as eventBodyCompression from './0016_event_body_compression';
/** Every migration, in order. Adding one: a numbered file beside this one and a line here. */
export const migrations: Record<string, Migration> = {
  '0001_events': events,
  '0002_disputes': disputes,
  '0003_dispute_timeline': timeline,
  '0004_merchant_records': merchantRecords,
  '0005_packets': packets,
  '0006_submissions': submissions,
  '0007_alerts': alerts,
  '0008_module_names': moduleNames,
  '0009_reconcile': reconcile,
  '0010_insights_indexes': insightsIndexes,
  '0011_resolution': resolution,
  '0012_sources': sources,
  '0013_record_origins': recordOrigins,
  '0014_submission_completeness': submissionCompleteness,
  '0015_alert_schedules': alertSchedules,
  '0016_event_body_compression': eventBodyCompression,
};
