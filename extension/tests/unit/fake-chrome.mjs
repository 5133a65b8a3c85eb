// A storage area with chrome.storage's get/set contract, for unit tests run by node.

export class MemoryArea {
  constructor() {
    this.data = {};
    this.writes = 0;
  }

  async get(keys) {
    const wanted = keys === null ? Object.keys(this.data) : [].concat(keys);
    const out = {};
    for (const key of wanted) if (key in this.data) out[key] = structuredClone(this.data[key]);
    return out;
  }

  async set(values) {
    this.writes += 1;
    for (const [key, value] of Object.entries(values)) this.data[key] = structuredClone(value);
  }
}
