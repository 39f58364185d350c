import path from 'node:path';
import type { Config } from '../../config/env.js';
import { KeyRing } from '../crypto/key-ring.js';
import { loadMasterKey } from '../crypto/master-key.js';
import type { SubjectKeyRepository } from '../repositories/subject-key.repository.js';
import type { SystemKeyRepository } from '../repositories/system-key.repository.js';
import { SealedBiometricVault } from './biometric-vault.js';
import { FileBlobStore } from './file-blob.store.js';

/**
 * This deployment's vault: blobs under DATA_DIR/blobs, sealed with keys wrapped by the master key. The service, the
 * CLI and the scripts open it alike, so a command never reads blobs another way than the running service wrote them.
 */
export function openBiometricVault(
  config: Pick<Config, 'MASTER_KEY' | 'dataDir'>, keys: { readonly subjectKeys: SubjectKeyRepository; readonly systemKeys: SystemKeyRepository },
) {
  const blobs = new FileBlobStore(path.join(config.dataDir, 'blobs'));
  return { blobs, vault: new SealedBiometricVault(new KeyRing(loadMasterKey(config), keys.subjectKeys, keys.systemKeys), blobs) };
}
