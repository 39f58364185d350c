/**
 * Document specimens: `manifest.json` (images, `portrait_visible_manual`) and `portrait_groups.json` (documents
 * that carry the same printed portrait). Genuine pairs are two documents of one group, impostor pairs two documents
 * of different groups. Every document with a visible portrait is processed, so that the portrait-not-found rate
 * covers them all, paired or not.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import type { EvalImage, EvalPair, EvalSet } from './eval-set.js';

const manifestSchema = z.object({
  images: z.array(z.object({ file: z.string(), portrait_visible_manual: z.boolean().optional() }).loose()),
});
const groupsSchema = z.object({ groups: z.record(z.string(), z.array(z.string())) });

/** Documents that show a portrait, and the pairs the groups define. */
export async function loadDocumentSet(root: string, limit?: number): Promise<EvalSet> {
  const manifestText = await readFile(path.join(root, 'manifest.json'), 'utf8');
  const groupsText = await readFile(path.join(root, 'portrait_groups.json'), 'utf8');
  const manifest = manifestSchema.parse(JSON.parse(manifestText));
  const { groups } = groupsSchema.parse(JSON.parse(groupsText));

  // A group may name documents the folder does not hold (the groups file is older than the manifest): they are
  // left out and listed in the report, rather than failing the run.
  const listed = new Set(manifest.images.map((image) => image.file));
  const groupOf = new Map<string, string>();
  const missing: string[] = [];
  for (const [group, files] of Object.entries(groups)) {
    for (const file of files) {
      if (listed.has(file)) groupOf.set(file, group);
      else missing.push(file);
    }
  }
  const visible = manifest.images.filter((image) => image.portrait_visible_manual === true).map((image) => image.file);

  const images = new Map<string, EvalImage>();
  for (const file of new Set([...visible, ...groupOf.keys()])) {
    images.set(file, {
      id: file, identity: groupOf.get(file) ?? `ungrouped:${file}`, fold: 0, role: 'document', subject: 'whole-image',
      load: () => readFile(path.join(root, file)),
    });
  }
  const grouped = [...groupOf.keys()].sort();
  const pairs: EvalPair[] = [];
  for (let i = 0; i < grouped.length; i++) {
    for (let j = i + 1; j < grouped.length; j++) {
      const a = grouped[i] as string;
      const b = grouped[j] as string;
      pairs.push({ a, b, same: groupOf.get(a) === groupOf.get(b), fold: 0 });
    }
  }
  const kept = limit === undefined ? pairs : [...pairs.filter((p) => p.same).slice(0, Math.ceil(limit / 2)), ...pairs.filter((p) => !p.same).slice(0, Math.ceil(limit / 2))];
  const keptImages = limit === undefined ? images : new Map([...images].filter(([id]) => kept.some((p) => p.a === id || p.b === id)));
  return {
    name: 'documents',
    description:
      `document vs document: ${Object.keys(groups).length} groups of specimens sharing a printed portrait; ${visible.length} documents with a visible portrait` +
      (missing.length ? `; ${missing.length} group members absent from the manifest were left out` : ''),
    root,
    images: keptImages,
    pairs: kept,
    folds: 1,
    allPairsWithinFolds: false,
    provenance: {
      manifestSha256: createHash('sha256').update(manifestText).digest('hex'),
      portraitGroupsSha256: createHash('sha256').update(groupsText).digest('hex'),
      documentsWithPortrait: visible.length,
      groups: Object.keys(groups).length,
      groupMembersNotInManifest: missing,
    },
  };
}
