import express from 'express';
import type { Queue } from 'bullmq';
import { z } from 'zod';
import { findEvent, listEvents } from '../../db/events';
import type { Db } from '../../db/pool';
import { EVENT_STATUSES } from '../../db/schema';
import { PROVIDER_NAMES } from '../../providers';
import { redriveEvent } from '../../queue/events';
import type { EventJob } from '../../queue/names';
import { HttpError } from '../errors';

const ListQuery = z.object({
  provider: z.enum(PROVIDER_NAMES).optional(),
  status: z.enum(EVENT_STATUSES).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
});

async function requireEvent(db: Db, id: string) {
  const event = await findEvent(db, id);
  if (!event) throw new HttpError(404, 'event_not_found');
  return event;
}

function parsePayload(raw: Buffer): unknown {
  try {
    return JSON.parse(raw.toString('utf8'));
  } catch {
    return raw.toString('utf8');
  }
}

export function eventsApi(deps: { db: Db; eventQueue: Queue<EventJob> }): express.Router {
  const router = express.Router();

  router.get('/events', async (req, res) => {
    res.json({ events: await listEvents(deps.db, ListQuery.parse(req.query)) });
  });

  router.get('/events/:id', async (req, res) => {
    const { rawBody, ...event } = await requireEvent(deps.db, req.params.id);
    res.json({ ...event, payload: parsePayload(rawBody) });
  });

  router.post('/events/:id/redrive', async (req, res) => {
    const event = await requireEvent(deps.db, req.params.id);
    try {
      await redriveEvent(deps.db, deps.eventQueue, event.id);
    } catch {
      throw new HttpError(503, 'queue_unavailable');
    }
    res.status(202).json({ eventId: event.id, status: 'queued' });
  });

  return router;
}
