import currencyCodes from 'currency-codes';
import type { Money } from './disputes/model';

/** Money as integer minor units. Exponents come from ISO 4217 (currency-codes), never a hand list or floats. */

export class UnknownCurrency extends Error {
  constructor(readonly currency: string) {
    super(`unknown currency ${JSON.stringify(currency)}`);
    this.name = 'UnknownCurrency';
  }
}

/** ISO 4217 minor-unit exponent: USD 2, JPY 0, KWD 3. */
export function currencyExponent(currency: string): number {
  const entry = /^[A-Za-z]{3}$/.test(currency) ? currencyCodes.code(currency.toUpperCase()) : undefined;
  if (!entry) throw new UnknownCurrency(currency);
  return entry.digits;
}

/** A decimal string such as PayPal's "12.34" → 1234 minor units, split as text so no float rounds it. */
export function decimalToMinor(value: string, currency: string): number {
  const exponent = currencyExponent(currency);
  const match = /^(-?)(\d+)(?:\.(\d+))?$/.exec(value.trim());
  if (!match) throw new Error(`${JSON.stringify(value)} is not a decimal amount`);
  const [, sign, whole, fraction = ''] = match;
  if (fraction.replace(/0+$/, '').length > exponent) {
    throw new Error(`${value} ${currency} has more decimals than the currency's ${exponent}`);
  }
  const minor = Number(`${whole}${fraction.padEnd(exponent, '0').slice(0, exponent)}`);
  return sign ? -minor : minor;
}

/** 1234 USD → "12.34"; 5000 JPY → "5000"; 1234 KWD → "1.234". */
export function minorToDecimal(value: number, currency: string): string {
  const exponent = currencyExponent(currency);
  const digits = Math.abs(value).toString().padStart(exponent + 1, '0');
  const whole = exponent === 0 ? digits : digits.slice(0, -exponent);
  const fraction = exponent === 0 ? '' : `.${digits.slice(-exponent)}`;
  return `${value < 0 ? '-' : ''}${whole}${fraction}`;
}

/** An amount in minor units with its ISO 4217 code upper-cased (Stripe sends `usd`); an unknown code throws UnknownCurrency. */
export function money(value: number, currency: string): Money {
  currencyExponent(currency);
  return { value, currency: currency.toUpperCase() };
}

/** For people: "$45.99", "¥5,000", "KWD 1.234" (formatting only at the edge). */
export function formatMoney(amount: Money, locale = 'en-US'): string {
  const exponent = currencyExponent(amount.currency);
  return new Intl.NumberFormat(locale, {
    style: 'currency',
    currency: amount.currency,
    minimumFractionDigits: exponent,
    maximumFractionDigits: exponent,
  }).format(Number(minorToDecimal(amount.value, amount.currency)));
}
