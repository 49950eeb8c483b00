import { FakePaypal as SandboxPaypal } from '../../src/sandbox/paypal';
import { fixtureJson } from '../support/fixtures';

export { PAYPAL_ERROR } from '../../src/sandbox/paypal';

/** The sandbox's PayPal, knowing the dispute of `fixtures/paypal/api/get-dispute.PP-D-21903.json`. */
export class FakePaypal extends SandboxPaypal {
  constructor() {
    super();
    const known = fixtureJson<any>('paypal/api/get-dispute.PP-D-21903.json');
    this.disputes.set(known.dispute_id, known);
  }
}
