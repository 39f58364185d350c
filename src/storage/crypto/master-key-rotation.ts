import type { Database } from '../database/database.js';
import { createRepositories } from '../repositories/index.js';
import { open, seal } from './aes-gcm.js';
import { subjectKeyAad, systemKeyAad } from './key-ring.js';

/**
 * Re-wraps every data key under a new master key in one transaction. Blobs are untouched: they are
 * sealed with the data keys, which do not change. Destroyed keys stay destroyed.
 */
export async function rotateMasterKey(db: Database, oldMaster: Buffer, newMaster: Buffer): Promise<{ subjects: number; system: number }> {
  return db.transaction(async (tx) => {
    const repos = createRepositories(tx);
    const subjects = await repos.subjectKeys.allLive();
    for (const { subjectId, wrappedKey } of subjects) {
      const key = open(oldMaster, wrappedKey, subjectKeyAad(subjectId));
      await repos.subjectKeys.replace(subjectId, seal(newMaster, key, subjectKeyAad(subjectId)));
    }
    const system = await repos.systemKeys.all();
    for (const { name, wrappedKey } of system) {
      const key = open(oldMaster, wrappedKey, systemKeyAad(name));
      await repos.systemKeys.replace(name, seal(newMaster, key, systemKeyAad(name)));
    }
    return { subjects: subjects.length, system: system.length };
  });
}
