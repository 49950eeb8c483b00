/** A response as status, parsed JSON (when it is JSON) and text. */
async function answer(response: Response) {
  const text = await response.text();
  let json: any;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: response.status, json, text, headers: response.headers };
}

export async function post(url: string, body: string | Buffer, headers: Record<string, string> = {}) {
  return answer(await fetch(url, { method: 'POST', body, headers: { 'content-type': 'application/json', ...headers } }));
}

export async function get(url: string, headers: Record<string, string> = {}) {
  return answer(await fetch(url, { headers }));
}

export async function put(url: string, body: string, headers: Record<string, string> = {}) {
  return answer(await fetch(url, { method: 'PUT', body, headers: { 'content-type': 'application/json', ...headers } }));
}
