// A bounded byte ring addressed by absolute stream offsets: keeps the last `capacity` bytes of an audio stream in
// one contiguous allocation (grown on demand), so replaying "audio since the last final" after a reconnect never
// retains the many small pooled buffers the audio arrived in. Pure data structure, no I/O.

export class ByteRing {
  private buf: Buffer;
  /** Absolute offset of the oldest byte kept. */
  start = 0;
  /** Absolute offset one past the newest byte. */
  end = 0;
  private released = false;

  constructor(readonly capacity: number, initial = 4096) {
    this.buf = Buffer.alloc(Math.min(initial, capacity));
  }

  get length(): number {
    return this.end - this.start;
  }

  append(data: Uint8Array): void {
    if (this.released || data.length === 0) return;
    let src = data;
    if (src.length >= this.capacity) {
      // Only the newest `capacity` bytes can be kept.
      this.end += src.length - this.capacity;
      this.start = this.end;
      src = src.subarray(src.length - this.capacity);
    }
    const need = this.end - this.start + src.length;
    if (need > this.buf.length && this.buf.length < this.capacity) this.grow(Math.min(this.capacity, Math.max(need, this.buf.length * 2)));
    const cap = this.buf.length;
    let pos = this.end % cap;
    let off = 0;
    while (off < src.length) {
      const n = Math.min(src.length - off, cap - pos);
      this.buf.set(src.subarray(off, off + n), pos);
      off += n;
      pos = (pos + n) % cap;
    }
    this.end += src.length;
    if (this.end - this.start > cap) this.start = this.end - cap;
  }

  /** Forgets everything before absolute offset `abs` (clamped to what is kept). */
  trimTo(abs: number): void {
    this.start = Math.max(this.start, Math.min(abs, this.end));
  }

  /** Copy of the bytes from absolute offset `from` (clamped) to the end. */
  readFrom(from = this.start): Buffer {
    const a = Math.max(from, this.start);
    if (a >= this.end) return Buffer.alloc(0);
    const out = Buffer.allocUnsafe(this.end - a);
    const cap = this.buf.length;
    let pos = a % cap;
    let off = 0;
    while (off < out.length) {
      const n = Math.min(out.length - off, cap - pos);
      this.buf.copy(out, off, pos, pos + n);
      off += n;
      pos = (pos + n) % cap;
    }
    return out;
  }

  /** Drops the storage (after close). */
  release(): void {
    this.released = true;
    this.buf = Buffer.alloc(0);
    this.start = this.end;
  }

  private grow(size: number): void {
    const data = this.readFrom(this.start);
    const start = this.start;
    this.buf = Buffer.alloc(size);
    // Re-lay the kept bytes at their absolute positions modulo the new size.
    this.end = start;
    this.start = start;
    const cap = this.buf.length;
    let pos = start % cap;
    let off = 0;
    while (off < data.length) {
      const n = Math.min(data.length - off, cap - pos);
      this.buf.set(data.subarray(off, off + n), pos);
      off += n;
      pos = (pos + n) % cap;
    }
    this.end = start + data.length;
  }
}
