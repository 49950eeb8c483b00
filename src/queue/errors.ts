import { UnrecoverableError } from 'bullmq';

/** The job cannot succeed by trying again (a payload of an unknown shape, a provider's 4xx). */
export class PermanentFailure extends UnrecoverableError {
  constructor(message: string) {
    super(message);
    this.name = 'PermanentFailure';
  }
}
