import { Signer, type UnsignResult } from '@fastify/cookie';

/** How many signed cookie values are remembered as checked (about 100 bytes each). */
const REMEMBERED = 10_000;

/**
 * The signer of the session and form-token cookies (HMAC-SHA256 with the session secret), remembering the
 * cookies it has already checked: a signed-in person sends the same two signed cookies with every request, and
 * checking them costs more than everything else of an answer from the page cache. Only exact strings that passed
 * the check are remembered, so a changed value or signature is always checked afresh (and refused).
 */
export function rememberingSigner(secret: string, size = REMEMBERED): { sign(value: string): string; unsign(signed: string): UnsignResult } {
  const signer = new Signer(secret, 'sha256');
  const checked = new Map<string, UnsignResult>();
  const signed = new Map<string, string>();
  const remember = <V>(map: Map<string, V>, key: string, value: V) => {
    if (map.size >= size) map.delete(map.keys().next().value!);
    map.set(key, value);
  };
  return {
    sign(value: string): string {
      let result = signed.get(value);
      if (result === undefined) remember(signed, value, result = signer.sign(value));
      return result;
    },
    unsign(input: string): UnsignResult {
      const known = checked.get(input);
      if (known) return known;
      const result = signer.unsign(input);
      if (result.valid) remember(checked, input, Object.freeze(result));
      return result;
    },
  };
}
