// GCS access for the backend: signed read URLs for VOD playback and deletion of a VOD's objects.
// One lazily built client. Signing needs a private key:
//  - real GCS (GCS_API_ENDPOINT empty): the client's V4 signer with the service-account key file
//    (GOOGLE_APPLICATION_CREDENTIALS) or, without one, Application Default Credentials (IAM signBlob);
//  - an emulator (GCS_API_ENDPOINT set) with no key file: an RSA key generated at start-up signs
//    through the same client code path; emulators serve `/<bucket>/<object>` and do not check it.
import { generateKeyPairSync } from 'node:crypto';
import { IdempotencyStrategy, Storage, type StorageOptions } from '@google-cloud/storage';
import type { Config } from '../config/index.js';
import { deleteUnderPrefix } from './gcs-prefix.js';

export type SigningMode = 'service-account' | 'application-default' | 'emulator-local-key';

export interface VodStorage {
  readonly bucket: string;
  readonly signingMode: SigningMode;
  /** PEM public key of the local signer (emulator mode only), for whoever verifies the URLs. */
  readonly localSigningPublicKey: string | null;
  /** `responseDisposition`: the Content-Disposition storage answers with (downloads). */
  signedReadUrl(objectName: string, ttlSeconds: number, opts?: { responseDisposition?: string }): Promise<string>;
  deletePrefix(prefix: string): Promise<number>;
  read(objectName: string): Promise<Buffer>;
}

let localKey: { privateKeyPem: string; publicKeyPem: string } | null = null;

/** One signing key per process for emulator mode (URLs stay valid while the process lives). */
export function localSigningKey(): { privateKeyPem: string; publicKeyPem: string } {
  if (!localKey) {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    localKey = {
      privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
      publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    };
  }
  return localKey;
}

export function createVodStorage(gcs: Config['gcs']): VodStorage {
  const base: StorageOptions = {
    retryOptions: { autoRetry: true, maxRetries: 3, idempotencyStrategy: IdempotencyStrategy.RetryAlways },
  };
  if (gcs.projectId) base.projectId = gcs.projectId;
  if (gcs.credentialsFile) base.keyFilename = gcs.credentialsFile;
  if (gcs.apiEndpoint) {
    base.apiEndpoint = gcs.apiEndpoint;
    base.projectId ??= 'ocp-local';
  }

  let signingMode: SigningMode = gcs.credentialsFile ? 'service-account' : 'application-default';
  let localSigningPublicKey: string | null = null;
  let signerOptions: StorageOptions = base;
  if (gcs.apiEndpoint && !gcs.credentialsFile) {
    const key = localSigningKey();
    localSigningPublicKey = key.publicKeyPem;
    signerOptions = {
      ...base,
      credentials: { client_email: 'ocp-local-signer@ocp-local.iam.gserviceaccount.com', private_key: key.privateKeyPem },
    };
    signingMode = 'emulator-local-key';
  }

  let client: Storage | null = null;
  let signer: Storage | null = null;
  const storage = () => (client ??= new Storage(base));
  const signingStorage = () => (signer ??= signerOptions === base ? storage() : new Storage(signerOptions));

  return {
    bucket: gcs.bucket,
    signingMode,
    localSigningPublicKey,
    async signedReadUrl(objectName, ttlSeconds, opts = {}) {
      const [url] = await signingStorage()
        .bucket(gcs.bucket)
        .file(objectName)
        .getSignedUrl({
          version: 'v4',
          action: 'read',
          expires: Date.now() + ttlSeconds * 1000,
          // Browsers may reach the storage server under another name than this process does
          // (compose: gcs:4443 inside, localhost:4443 outside).
          ...(gcs.publicEndpoint ? { host: gcs.publicEndpoint } : {}),
          ...(opts.responseDisposition ? { responseDisposition: opts.responseDisposition } : {}),
        });
      return url;
    },
    deletePrefix: (prefix) => deleteUnderPrefix(storage().bucket(gcs.bucket), prefix),
    async read(objectName) {
      const [data] = await storage().bucket(gcs.bucket).file(objectName).download({ validation: false });
      return data;
    },
  };
}
