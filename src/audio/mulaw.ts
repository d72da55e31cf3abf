// G.711 mu-law <-> 16-bit linear PCM, table based. Twilio Media Streams carry 8 kHz mu-law both ways; these are the
// only conversions the media path needs. Pure functions over buffers: no I/O, no allocation beyond the result.

const BIAS = 0x84;
const CLIP = 32635;

/** 256 entries: mu-law byte -> PCM16 sample. */
export const MULAW_DECODE_TABLE: Int16Array = buildDecodeTable();
/** 65536 entries: PCM16 sample (as unsigned 16-bit index) -> mu-law byte. 64 KiB buys a branch-free encoder. */
export const MULAW_ENCODE_TABLE: Uint8Array = buildEncodeTable();

/** The mu-law byte for digital silence (PCM 0). Padding a frame with it is inaudible. */
export const MULAW_SILENCE = 0xff;

function decodeSample(u: number): number {
  const v = ~u & 0xff;
  const sign = v & 0x80;
  const exponent = (v >> 4) & 0x07;
  const mantissa = v & 0x0f;
  const magnitude = (((mantissa << 3) + BIAS) << exponent) - BIAS;
  return sign ? -magnitude : magnitude;
}

function encodeSample(pcm: number): number {
  let s = pcm;
  const sign = s < 0 ? 0x80 : 0;
  if (sign) s = -s;
  if (s > CLIP) s = CLIP;
  s += BIAS;
  // exponent = position of the highest set bit above bit 7 (0..7)
  let exponent = 7;
  for (let mask = 0x4000; (s & mask) === 0 && exponent > 0; mask >>= 1) exponent--;
  const mantissa = (s >> (exponent + 3)) & 0x0f;
  return ~(sign | (exponent << 4) | mantissa) & 0xff;
}

function buildDecodeTable(): Int16Array {
  const t = new Int16Array(256);
  for (let i = 0; i < 256; i++) t[i] = decodeSample(i);
  return t;
}

function buildEncodeTable(): Uint8Array {
  const t = new Uint8Array(65536);
  for (let i = 0; i < 65536; i++) t[i] = encodeSample(i < 32768 ? i : i - 65536);
  return t;
}

/** Decodes mu-law bytes into PCM16 samples. */
export function muLawToPcm16(muLaw: Uint8Array): Int16Array {
  const out = new Int16Array(muLaw.length);
  for (let i = 0; i < muLaw.length; i++) out[i] = MULAW_DECODE_TABLE[muLaw[i]!]!;
  return out;
}

/** Encodes PCM16 samples into mu-law bytes. */
export function pcm16ToMuLaw(pcm: Int16Array): Buffer {
  const out = Buffer.allocUnsafe(pcm.length);
  for (let i = 0; i < pcm.length; i++) out[i] = MULAW_ENCODE_TABLE[pcm[i]! & 0xffff]!;
  return out;
}

/** Decodes one mu-law byte. */
export function muLawDecode(byte: number): number {
  return MULAW_DECODE_TABLE[byte & 0xff]!;
}

/** Encodes one PCM16 sample (clipped to the 16-bit range). */
export function muLawEncode(sample: number): number {
  const s = Math.max(-32768, Math.min(32767, Math.round(sample)));
  return MULAW_ENCODE_TABLE[s & 0xffff]!;
}
