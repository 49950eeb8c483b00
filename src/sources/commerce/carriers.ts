import countries from 'i18n-iso-countries';

/** A store's carrier name ("UPS", "Royal Mail", "fedex") → each aggregator's code; unknown → let it detect. */

const key = (carrier: string) => carrier.toLowerCase().replace(/[^a-z0-9]/g, '');

const CARRIERS: Array<{ names: string[]; aftership: string; easypost: string }> = [
  { names: ['ups', 'unitedparcelservice'], aftership: 'ups', easypost: 'UPS' },
  { names: ['usps', 'unitedstatespostalservice'], aftership: 'usps', easypost: 'USPS' },
  { names: ['fedex', 'federalexpress'], aftership: 'fedex', easypost: 'FedEx' },
  { names: ['dhl', 'dhlexpress'], aftership: 'dhl', easypost: 'DHLExpress' },
  { names: ['dhlecommerce', 'dhlecommerceasia'], aftership: 'dhl-global-mail-asia', easypost: 'DHLEcommerceAsia' },
  { names: ['canadapost', 'postescanada'], aftership: 'canada-post', easypost: 'CanadaPost' },
  { names: ['royalmail'], aftership: 'royal-mail', easypost: 'RoyalMail' },
  { names: ['australiapost', 'auspost'], aftership: 'australia-post', easypost: 'AustraliaPost' },
  { names: ['correos', 'correosspain'], aftership: 'spain-correos-es', easypost: 'Correos' },
  { names: ['postnl'], aftership: 'postnl', easypost: 'PostNL' },
  { names: ['lapostecolissimo', 'colissimo', 'laposte'], aftership: 'la-poste-colissimo', easypost: 'Colissimo' },
  { names: ['deutschepost', 'dhlparceldeutschland', 'dhlde'], aftership: 'dhl-germany', easypost: 'DeutschePost' },
  { names: ['gls'], aftership: 'gls', easypost: 'GLS' },
  { names: ['dpd'], aftership: 'dpd', easypost: 'DPD' },
  { names: ['evri', 'hermes', 'hermesuk'], aftership: 'hermes', easypost: 'Evri' },
  { names: ['yanwen'], aftership: 'yanwen', easypost: 'Yanwen' },
  { names: ['yunexpress'], aftership: 'yunexpress', easypost: 'YunExpress' },
  { names: ['chinapost', 'chinaems', 'ems'], aftership: 'china-post', easypost: 'ChinaPost' },
  { names: ['4px'], aftership: '4px', easypost: '4PX' },
  { names: ['cainiao', 'aliexpressstandardshipping'], aftership: 'cainiao', easypost: 'Cainiao' },
];

function lookup(carrier: string) {
  const k = key(carrier);
  return CARRIERS.find((c) => c.names.includes(k));
}

export const aftershipSlug = (carrier: string): string | undefined => lookup(carrier)?.aftership;
export const easypostCarrier = (carrier: string): string | undefined => lookup(carrier)?.easypost;

/** A carrier's country (ISO alpha-2 or alpha-3, as AfterShip's country_region is) → alpha-2. */
export function countryAlpha2(code: string | null | undefined): string | undefined {
  const c = code?.trim().toUpperCase();
  if (!c) return undefined;
  if (c.length === 2 && countries.isValid(c)) return c;
  if (c.length === 3) return countries.alpha3ToAlpha2(c) ?? undefined;
  return undefined;
}
