// Types of what the tests and the vitest config use from build.mjs.
export declare const root: string;
export declare const outDir: string;
export declare const entry: string;
export declare function isUpToDate(): boolean;
export declare function build(): Promise<number>;
export declare function ensureBuilt(): Promise<boolean>;
export declare function patchPrismaRuntime(source: string): string | undefined;
export declare function patchedPrismaRuntime(): { file: string; name: string; bytes: Buffer } | undefined;
