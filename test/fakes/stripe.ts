import { FakeStripe as SandboxStripe } from '../../src/sandbox/stripe';
import { fixtureJson } from '../support/fixtures';

export { STRIPE_ERROR } from '../../src/sandbox/stripe';

/** The sandbox's Stripe, knowing the dispute of `fixtures/stripe/charge.dispute.created.json`. */
export class FakeStripe extends SandboxStripe {
  constructor() {
    super();
    const dispute = fixtureJson<any>('stripe/charge.dispute.created.json').data.object;
    this.disputes.set(dispute.id, dispute);
  }
}
