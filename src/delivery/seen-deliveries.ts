/**
 * Which deliveries exist already, without a MongoDB read per event in steady state: ids this process stored
 * are remembered (bounded), and for a while after the consumer (re)joins its group — when it may re-read
 * another member's uncommitted tail (the pipeline commits only what is stored, so chunks the previous owner
 * was still sending are read again) — every id is checked in MongoDB.
 * Whatever slips through still hits the unique `_id` on insert; the receiver sees the same webhook-id twice.
 */
export class SeenDeliveries {
  private readonly ids = new Map<string, true>();
  private verifyUntil = 0;

  constructor(private readonly lookup: (ids: string[]) => Promise<Set<string>>) {}

  joined(): void {
    this.verifyUntil = Date.now() + 15000;
  }

  add(ids: string[]): void {
    for (const id of ids) this.ids.set(id, true);
    for (const id of this.ids.keys()) {
      if (this.ids.size <= 200000) break;
      this.ids.delete(id);
    }
  }

  async existing(ids: string[]): Promise<Set<string>> {
    if (Date.now() < this.verifyUntil) return this.lookup(ids);
    return new Set(ids.filter((id) => this.ids.has(id)));
  }
}
