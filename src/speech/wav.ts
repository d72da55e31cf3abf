// Minimal RIFF/WAVE for the OpenAI-compatible providers: writing 16-bit mono PCM for a transcription upload, and
// reading the header at the start of a streamed wav speech body (whose sizes may be 0xFFFFFFFF, unknown while
// streaming). Pure functions, no I/O.

/** A 16-bit mono PCM WAV file. */
export function encodeWav(pcm: Int16Array, sampleRateHz: number): Buffer {
  const data = pcm.length * 2;
  const b = Buffer.allocUnsafe(44 + data);
  b.write('RIFF', 0, 'ascii');
  b.writeUInt32LE(36 + data, 4);
  b.write('WAVE', 8, 'ascii');
  b.write('fmt ', 12, 'ascii');
  b.writeUInt32LE(16, 16);
  b.writeUInt16LE(1, 20); // PCM
  b.writeUInt16LE(1, 22); // mono
  b.writeUInt32LE(sampleRateHz, 24);
  b.writeUInt32LE(sampleRateHz * 2, 28);
  b.writeUInt16LE(2, 32);
  b.writeUInt16LE(16, 34);
  b.write('data', 36, 'ascii');
  b.writeUInt32LE(data, 40);
  for (let i = 0; i < pcm.length; i++) b.writeInt16LE(pcm[i]!, 44 + i * 2);
  return b;
}

export type WavHeader = { sampleRateHz: number; channels: number; bitsPerSample: number; dataOffset: number };

/**
 * Reads the header at the start of a wav stream: the `fmt ` facts and where sample data begins. Returns null while
 * more bytes are needed; throws on something that is not 16-bit PCM WAV.
 */
export function readWavHeader(head: Buffer): WavHeader | null {
  if (head.length < 12) return null;
  if (head.toString('ascii', 0, 4) !== 'RIFF' || head.toString('ascii', 8, 12) !== 'WAVE') throw new Error('speech body is not a RIFF/WAVE stream');
  let off = 12;
  let fmt: Omit<WavHeader, 'dataOffset'> | null = null;
  while (off + 8 <= head.length) {
    const id = head.toString('ascii', off, off + 4);
    const size = head.readUInt32LE(off + 4);
    if (id === 'data') {
      if (!fmt) throw new Error('wav data chunk before fmt');
      return { ...fmt, dataOffset: off + 8 };
    }
    if (off + 8 + size > head.length) return null;
    if (id === 'fmt ') {
      const format = head.readUInt16LE(off + 8);
      fmt = { channels: head.readUInt16LE(off + 10), sampleRateHz: head.readUInt32LE(off + 12), bitsPerSample: head.readUInt16LE(off + 22) };
      if ((format !== 1 && format !== 0xfffe) || fmt.bitsPerSample !== 16 || fmt.channels !== 1) {
        throw new Error(`wav must be 16-bit mono PCM (got format ${format}, ${fmt.bitsPerSample} bit, ${fmt.channels} channels)`);
      }
    }
    off += 8 + size + (size % 2);
  }
  return null;
}
