import { ConfigError, loadConfig } from '../../src/config';

describe('resolution settings', () => {
  it('default to the documented fees and handling cost, with auto-accept off', () => {
    expect(loadConfig({}).resolution).toEqual({
      disputeFees: { stripe: { value: 1500, currency: 'USD' }, paypal: { value: 2000, currency: 'USD' }, square: { value: 0, currency: 'USD' } },
      handlingCost: { value: 1000, currency: 'USD' },
      autoAcceptBelow: undefined,
      mode: 'review',
    });
  });

  it('are parsed into minor units without floats', () => {
    const { resolution } = loadConfig({ DISPUTE_FEES: 'stripe=15 EUR, paypal=2000 JPY', HANDLING_COST: '7.5 GBP', AUTO_ACCEPT_BELOW: '0.500 KWD', SUBMIT_MODE: 'auto' });
    expect(resolution.disputeFees).toEqual({ stripe: { value: 1500, currency: 'EUR' }, paypal: { value: 2000, currency: 'JPY' } });
    expect(resolution.handlingCost).toEqual({ value: 750, currency: 'GBP' });
    expect(resolution.autoAcceptBelow).toEqual({ value: 500, currency: 'KWD' });
    expect(resolution.mode).toBe('auto');
  });

  it.each([
    ['DISPUTE_FEES', 'visa=15.00 USD'],
    ['DISPUTE_FEES', 'stripe:15.00 USD'],
    ['HANDLING_COST', 'ten dollars'],
    ['HANDLING_COST', '-1.00 USD'],
    ['AUTO_ACCEPT_BELOW', '5.001 USD'],
    ['AUTO_ACCEPT_BELOW', '5 ZZZ'],
  ])('a bad %s (%s) stops start-up naming the variable', (variable, value) => {
    expect(() => loadConfig({ [variable]: value })).toThrow(ConfigError);
    expect(() => loadConfig({ [variable]: value })).toThrow(`Invalid setting ${variable}`);
  });
});
