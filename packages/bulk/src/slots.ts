/** A resizable counting semaphore: how many calls may be in flight at once. */
export class Slots {
  #limit: number;
  #busy = 0;
  readonly #waiting: (() => void)[] = [];

  constructor(limit: number) {
    this.#limit = limit;
  }

  get busy(): number {
    return this.#busy;
  }

  acquire(): Promise<void> {
    if (this.#busy < this.#limit) {
      this.#busy += 1;
      return Promise.resolve();
    }
    return new Promise<void>((resolve) => this.#waiting.push(resolve));
  }

  release(): void {
    this.#busy -= 1;
    this.#wake();
  }

  resize(limit: number): void {
    this.#limit = limit;
    this.#wake();
  }

  #wake(): void {
    while (this.#busy < this.#limit && this.#waiting.length > 0) {
      this.#busy += 1;
      this.#waiting.shift()!();
    }
  }
}
