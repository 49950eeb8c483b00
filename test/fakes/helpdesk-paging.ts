import type { RecordedRequest } from './recording-server';

/** A page of `items` from offset `start`, at most `size`. */
export function pageOf<T>(items: T[], start: number, size: number): { page: T[]; more: boolean; next: number } {
  const page = items.slice(start, start + size);
  return { page, more: start + size < items.length, next: start + size };
}

/** The request's own URL with some query parameters replaced: how vendors build next-page links. */
export function linkTo(base: string, request: RecordedRequest, replace: Record<string, string | number>): string {
  const query = new URLSearchParams(request.query);
  for (const [k, v] of Object.entries(replace)) query.set(k, String(v));
  return `${base}${request.path}?${query.toString()}`;
}

export const numberParam = (request: RecordedRequest, name: string, fallback: number) => {
  const value = Number(request.query.get(name));
  return Number.isFinite(value) && value > 0 ? value : fallback;
};
