import { FakeSquare as SandboxSquare } from '../../src/sandbox/square';
import { fixtureJson } from '../support/fixtures';

export { SQUARE_ERROR } from '../../src/sandbox/square';

/** The sandbox's Square, knowing the dispute of `fixtures/square/dispute.created.json`. */
export class FakeSquare extends SandboxSquare {
  constructor() {
    super();
    const dispute = fixtureJson<any>('square/dispute.created.json').data.object.object;
    this.disputes.set(dispute.id, dispute);
  }
}
