// A tiny S3 on 127.0.0.1 for the store's tests: path-style PUT/GET/HEAD/DELETE
// of objects kept in memory. Every request's Authorization header is checked
// by recomputing the signature with the same signer, and the payload hash
// against the body, so a wrongly signed request fails as S3 would fail it.
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { sha256Hex, signV4 } from "../../src/files/sigv4.ts";
import { readBody } from "../emulators/common.ts";

export interface S3Emulator {
  endpoint: string;
  bucket: string;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
  objects: Map<string, { data: Buffer; contentType: string | undefined }>;
  /** Every request with the verdict, in order. */
  requests: { method: string; key: string; status: number }[];
  /** The next request answers this status (once), e.g. 503. */
  failNext(status: number): void;
  close(): Promise<void>;
}

const AUTH = /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/s3\/aws4_request, SignedHeaders=([a-z0-9;-]+), Signature=([0-9a-f]{64})$/;

function parseAmzDate(v: string): Date | null {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(v);
  if (m === null) return null;
  return new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6])));
}

function xmlError(res: ServerResponse, status: number, code: string): void {
  const body = `<?xml version="1.0" encoding="UTF-8"?><Error><Code>${code}</Code><Message>${code}</Message></Error>`;
  res.writeHead(status, { "content-type": "application/xml", "content-length": Buffer.byteLength(body) });
  res.end(body);
}

export async function startS3Emulator(opts: { bucket?: string; region?: string } = {}): Promise<S3Emulator> {
  const bucket = opts.bucket ?? "baocao-test";
  const region = opts.region ?? "us-east-1";
  const accessKeyId = "AKIATESTEMULATOR0001";
  const secretAccessKey = "emulator/Secret+Key/0123456789abcdefghij";
  const objects: S3Emulator["objects"] = new Map();
  const requests: S3Emulator["requests"] = [];
  let failStatus: number | undefined;

  function verify(req: IncomingMessage, body: Buffer): string | null {
    const m = AUTH.exec(req.headers.authorization ?? "");
    if (m === null) return "AccessDenied";
    const [, keyId, day, reqRegion, signed, signature] = m;
    if (keyId !== accessKeyId) return "InvalidAccessKeyId";
    const date = parseAmzDate(String(req.headers["x-amz-date"] ?? ""));
    if (date === null || reqRegion !== region || day !== req.headers["x-amz-date"]?.toString().slice(0, 8)) return "AuthorizationHeaderMalformed";
    if (Math.abs(date.getTime() - Date.now()) > 15 * 60_000) return "RequestTimeTooSkewed";
    const payloadHash = String(req.headers["x-amz-content-sha256"] ?? "");
    if (payloadHash !== sha256Hex(body)) return "XAmzContentSHA256Mismatch";
    const names = (signed ?? "").split(";");
    if (!["host", "x-amz-date", "x-amz-content-sha256"].every((n) => names.includes(n))) return "AccessDenied";
    const headers: Record<string, string> = {};
    for (const n of names) if (!["host", "x-amz-date", "x-amz-content-sha256"].includes(n)) headers[n] = String(req.headers[n] ?? "");
    const url = new URL(req.url ?? "/", `http://${req.headers.host ?? ""}`);
    const expected = signV4({ method: req.method ?? "GET", url, headers, payloadHash }, { accessKeyId, secretAccessKey, region }, date);
    return expected.signature === signature ? null : "SignatureDoesNotMatch";
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readBody(req);
    const path = new URL(req.url ?? "/", "http://x").pathname;
    const prefix = `/${bucket}/`;
    const key = path.startsWith(prefix) ? decodeURIComponent(path.slice(prefix.length)) : "";
    const method = req.method ?? "GET";
    const done = (status: number): void => {
      requests.push({ method, key, status });
    };
    if (failStatus !== undefined) {
      const s = failStatus;
      failStatus = undefined;
      done(s);
      return xmlError(res, s, "SlowDown");
    }
    const problem = verify(req, body);
    if (problem !== null) {
      done(403);
      return xmlError(res, 403, problem);
    }
    if (key === "") {
      done(404);
      return xmlError(res, 404, "NoSuchBucket");
    }
    const obj = objects.get(key);
    switch (method) {
      case "PUT":
        objects.set(key, { data: body, contentType: req.headers["content-type"] });
        done(200);
        res.writeHead(200, { etag: `"${sha256Hex(body).slice(0, 32)}"` });
        return void res.end();
      case "GET":
      case "HEAD":
        if (obj === undefined) {
          done(404);
          if (method === "HEAD") return void res.writeHead(404).end();
          return xmlError(res, 404, "NoSuchKey");
        }
        done(200);
        res.writeHead(200, { "content-type": obj.contentType ?? "binary/octet-stream", "content-length": obj.data.length });
        return void res.end(method === "GET" ? obj.data : undefined);
      case "DELETE":
        objects.delete(key);
        done(204);
        return void res.writeHead(204).end();
      default:
        done(405);
        return xmlError(res, 405, "MethodNotAllowed");
    }
  }

  const server = createServer((req, res) => {
    handle(req, res).catch(() => xmlError(res, 500, "InternalError"));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    bucket,
    region,
    accessKeyId,
    secretAccessKey,
    objects,
    requests,
    failNext(status) {
      failStatus = status;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
