// Errors and the key rule shared by every FileStore.

export class FileNotFoundError extends Error {
  constructor(readonly key: string) {
    super(`stored file not found: ${key}`);
    this.name = "FileNotFoundError";
  }
}

/** The store failed (disk, network, credentials). `transient`: worth a retry. */
export class FileStoreError extends Error {
  constructor(
    message: string,
    readonly transient: boolean,
  ) {
    super(message);
    this.name = "FileStoreError";
  }
}

export class InvalidStorageKeyError extends Error {
  constructor(key: string) {
    super(`invalid storage key: ${JSON.stringify(key.slice(0, 100))}`);
    this.name = "InvalidStorageKeyError";
  }
}

// Segments start with a letter or digit: no "", ".", ".." or hidden names,
// which also keeps the local store's ".<name>.tmp-*" files out of the key space.
const KEY = /^[A-Za-z0-9][A-Za-z0-9._-]*(?:\/[A-Za-z0-9][A-Za-z0-9._-]*)*$/;

export function isValidStorageKey(key: string): boolean {
  return key.length <= 512 && KEY.test(key);
}

export function assertValidStorageKey(key: string): void {
  if (!isValidStorageKey(key)) throw new InvalidStorageKeyError(key);
}
