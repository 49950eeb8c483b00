/**
 * Group commit: items that arrive while a commit is under way wait for the next one, so under
 * load many of them share one round trip and one durable commit, while a lone item is committed
 * at once (it waits for the current turn of the event loop, not for batch-mates). The receiver
 * commits its webhook deliveries this way (src/ingest), the event worker the events of the jobs
 * it holds (workers/events.ts).
 *
 * A batch leaves when it is full, when nothing is being committed, or `maxWaitMs` after its first
 * item arrived, whichever comes first, with at most `maxInFlight` commits running at a time.
 */
export interface GroupCommitOptions<I, O> {
  maxBatch: number;
  maxWaitMs: number;
  maxInFlight: number;
  /** Commits the batch; one outcome per item, in order (an Error fails that item alone). Throwing fails them all. */
  commit(items: I[]): Promise<Array<O | Error>>;
}

interface Entry<I, O> {
  item: I;
  resolve(outcome: O): void;
  reject(err: unknown): void;
}

export class GroupCommitClosed extends Error {
  constructor() {
    super('the store is shutting down');
    this.name = 'GroupCommitClosed';
  }
}

export class GroupCommit<I, O> {
  private pending: Entry<I, O>[] = [];
  /** Commits under way (they hold a slot). */
  private readonly inFlight = new Set<Promise<unknown>>();
  /** Batches whose commit has not been answered yet. */
  private readonly finishing = new Set<Promise<void>>();
  private timer: NodeJS.Timeout | undefined;
  private immediate: NodeJS.Immediate | undefined;
  private closed = false;

  constructor(private readonly options: GroupCommitOptions<I, O>) {}

  submit(item: I): Promise<O> {
    if (this.closed) return Promise.reject(new GroupCommitClosed());
    return new Promise<O>((resolve, reject) => {
      this.pending.push({ item, resolve, reject });
      this.schedule();
    });
  }

  /** Commits whatever is waiting and waits for every commit under way; later submissions are refused. */
  async close(): Promise<void> {
    this.closed = true;
    this.cancelTimers();
    while (this.pending.length > 0 || this.inFlight.size > 0 || this.finishing.size > 0) {
      while (this.pending.length > 0) this.flush();
      await Promise.allSettled([...this.inFlight, ...this.finishing]);
    }
  }

  private schedule(): void {
    if (this.pending.length === 0) return;
    const slotFree = this.inFlight.size < this.options.maxInFlight;
    if (slotFree && this.pending.length >= this.options.maxBatch) {
      this.cancelTimers();
      this.flush();
      this.schedule();
      return;
    }
    if (slotFree && this.inFlight.size === 0) {
      // Nothing is being committed: go now, with whatever else arrived in this same turn.
      this.immediate ??= setImmediate(() => {
        this.immediate = undefined;
        this.cancelTimers();
        this.flushIfSlot();
      });
      return;
    }
    this.timer ??= setTimeout(() => {
      this.timer = undefined;
      this.flushIfSlot();
    }, this.options.maxWaitMs);
  }

  private flushIfSlot(): void {
    if (this.pending.length > 0 && this.inFlight.size < this.options.maxInFlight) this.flush();
    this.schedule();
  }

  private cancelTimers(): void {
    if (this.timer) clearTimeout(this.timer);
    if (this.immediate) clearImmediate(this.immediate);
    this.timer = undefined;
    this.immediate = undefined;
  }

  private flush(): void {
    const batch = this.pending.splice(0, this.options.maxBatch);
    if (batch.length === 0) return;
    const items = batch.map((e) => e.item);
    const committed = this.options.commit(items);
    const slot = committed.then(
      () => undefined,
      () => undefined,
    );
    this.inFlight.add(slot);
    void slot.then(() => {
      this.inFlight.delete(slot);
      // Those that arrived during this commit have waited long enough.
      if (!this.closed && this.pending.length > 0) {
        this.cancelTimers();
        this.flushIfSlot();
      }
    });
    const answered = this.answer(batch, committed).finally(() => this.finishing.delete(answered));
    this.finishing.add(answered);
  }

  private async answer(batch: Entry<I, O>[], committed: Promise<Array<O | Error>>): Promise<void> {
    let outcomes: Array<O | Error>;
    try {
      outcomes = await committed;
    } catch (err) {
      for (const entry of batch) entry.reject(err);
      return;
    }
    batch.forEach((entry, i) => {
      const outcome = outcomes[i];
      if (outcome instanceof Error) entry.reject(outcome);
      else if (outcome === undefined) entry.reject(new Error('the commit gave no outcome for this item'));
      else entry.resolve(outcome);
    });
  }
}
