// Streaming sample-rate conversion of 16-bit mono PCM through libsamplerate (the WebAssembly port on npm): the
// synthesis path turns 24 kHz Kokoro/OpenAI speech into the 8 kHz Twilio plays, the recognition path lifts 8 kHz
// phone audio to the 16 kHz whisper.cpp wants. One Resampler per stream: the filter keeps state between chunks, so
// chunk boundaries leave no clicks. end() drains the filter and trims to the exact expected length, so a reply of N
// input samples always yields round(N x out/in) output samples (its duration is right to the sample).
// Each converter is a WebAssembly instance (~2.5 MB, 10-60 ms to instantiate), so streaming converters are kept in a
// small pool per rate pair and reset (a microsecond-cheap src_reset) when taken again, and whole-buffer conversion
// runs on one converter per rate pair shared by every call: it is synchronous, so no two calls interleave on it.
// (Under 200 calls, a converter per utterance meant instantiating WebAssembly per turn: seconds of queueing.)
// The package is a CommonJS (webpack UMD) bundle: Node's ESM loader sees only its default export, so the named
// members are taken from it rather than imported by name (a named import works under vitest but not under tsx).
import libsamplerate from '@alexanderolsen/libsamplerate-js';

const { create, ConverterType } = libsamplerate;

/** The package's converter class (not exported by name). */
type SRC = Awaited<ReturnType<typeof create>>;

/** Zeros pushed per round while draining the filter's delay line at end(). */
const DRAIN_BLOCK = 256;
/** Idle converters kept per rate pair (the synthesis requests in flight at once, roughly). */
const POOL_MAX = 32;
const pools = new Map<string, SRC[]>();
const shared = new Map<string, Promise<SRC>>();
const poolKey = (fromHz: number, toHz: number) => `${fromHz}>${toHz}`;

async function acquire(fromHz: number, toHz: number): Promise<SRC> {
  const idle = pools.get(poolKey(fromHz, toHz))?.pop();
  if (idle) {
    idle.inputSampleRate = fromHz; // the setter re-initialises the converter: no state of the last stream survives
    return idle;
  }
  return create(1, fromHz, toHz, { converterType: ConverterType.SRC_SINC_FASTEST });
}

function release(src: SRC, fromHz: number, toHz: number): void {
  const key = poolKey(fromHz, toHz);
  let pool = pools.get(key);
  if (!pool) pools.set(key, (pool = []));
  if (pool.length < POOL_MAX) pool.push(src);
  else src.destroy();
}

/** Instantiates a converter ahead of the first call (providers warm up at start): streaming, or the shared one. */
export async function warmResampler(fromHz: number, toHz: number, use: 'stream' | 'whole' = 'stream'): Promise<void> {
  if (use === 'whole') await Resampler.convert(new Int16Array(0), fromHz, toHz);
  else release(await acquire(fromHz, toHz), fromHz, toHz);
}

export class Resampler {
  private inSamples = 0;
  private outSamples = 0;
  private destroyed = false;

  private constructor(private readonly src: SRC, readonly fromHz: number, readonly toHz: number, private readonly pooled = true) {}

  /**
   * A converter from `fromHz` to `toHz`. SINC_FASTEST: band-limited (no aliasing into the phone band) at a few
   * microseconds per 20 ms frame; the better sinc modes cost 5-20x more for no audible gain at 8 kHz.
   */
  static async create(fromHz: number, toHz: number): Promise<Resampler> {
    return new Resampler(await acquire(fromHz, toHz), fromHz, toHz);
  }

  /** Converts the next chunk; output may lag input by the filter delay (drained by end()). */
  push(pcm: Int16Array): Int16Array {
    if (this.destroyed || pcm.length === 0) return new Int16Array(0);
    this.inSamples += pcm.length;
    const f = new Float32Array(pcm.length);
    for (let i = 0; i < pcm.length; i++) f[i] = pcm[i]! / 32768;
    return this.take(this.src.full(f), Infinity);
  }

  /** Drains what the filter still holds and releases the converter; idempotent. */
  end(): Int16Array {
    if (this.destroyed) return new Int16Array(0);
    const expected = Math.round((this.inSamples * this.toHz) / this.fromHz);
    const parts: Int16Array[] = [];
    const zeros = new Float32Array(DRAIN_BLOCK);
    for (let round = 0; round < 64 && this.outSamples < expected; round++) parts.push(this.take(this.src.full(zeros), expected));
    this.destroy();
    return concat(parts);
  }

  /** Hands the converter back to the pool (a shared one stays where it is); idempotent. */
  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    if (this.pooled) release(this.src, this.fromHz, this.toHz);
  }

  /** Whole-buffer conversion on the rate pair's shared converter (reset first, drained after: nothing carries over). */
  static async convert(pcm: Int16Array, fromHz: number, toHz: number): Promise<Int16Array> {
    const key = poolKey(fromHz, toHz);
    let p = shared.get(key);
    if (!p) {
      p = create(1, fromHz, toHz, { converterType: ConverterType.SRC_SINC_FASTEST });
      shared.set(key, p);
      p.catch(() => shared.delete(key));
    }
    const src = await p;
    // From here on synchronous: no other call can touch the shared converter until this one is done.
    src.inputSampleRate = fromHz;
    const r = new Resampler(src, fromHz, toHz, false);
    const head = r.push(pcm);
    return concat([head, r.end()]);
  }

  private take(f: Float32Array, limit: number): Int16Array {
    const n = Math.max(0, Math.min(f.length, limit - this.outSamples));
    const out = new Int16Array(n);
    for (let i = 0; i < n; i++) {
      const v = Math.round(f[i]! * 32768);
      out[i] = v > 32767 ? 32767 : v < -32768 ? -32768 : v;
    }
    this.outSamples += n;
    return out;
  }
}

/** Whole-buffer conversion (an utterance at a time), on the shared converter. */
export async function resampleAll(pcm: Int16Array, fromHz: number, toHz: number): Promise<Int16Array> {
  if (fromHz === toHz) return pcm;
  return Resampler.convert(pcm, fromHz, toHz);
}

export function concat(parts: Int16Array[]): Int16Array {
  if (parts.length === 1) return parts[0]!;
  const out = new Int16Array(parts.reduce((n, p) => n + p.length, 0));
  let off = 0;
  for (const p of parts) {
    out.set(p, off);
    off += p.length;
  }
  return out;
}
