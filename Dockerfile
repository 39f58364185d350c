# Zinda image: compiled JS only, production dependencies only, non-root.
#   docker build -t zinda .
#   API:    docker run ... zinda                              (CMD below)
#   Worker: docker run ... zinda node dist/src/main.js worker
# Both need DATABASE_URL, REDIS_URL and MASTER_KEY; see docker-compose.yml.

ARG NODE_IMAGE=node:20-bookworm-slim

# ---- build: full dependency tree, tsc -> dist/ ---------------------------------------------------
FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY package.json package-lock.json ./
# --ignore-scripts: same result under npm 10 (this image) and npm 11 (which blocks dependency scripts);
# sharp, esbuild and msgpackr load prebuilt binaries from their optional platform packages.
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY workers ./workers
RUN npm run build

# ---- deps: production dependencies only (cached until package*.json change) -----------------------
FROM ${NODE_IMAGE} AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund \
 && npm cache clean --force

# ---- runtime -------------------------------------------------------------------------------------
FROM ${NODE_IMAGE} AS runtime
# glibc's allocator keeps the pages of large freed buffers (uploads, decoded images) in per-thread arenas: 50
# simultaneous 8 MB uploads left the API at 487-544 MB RSS for good; with two arenas and a fixed mmap threshold the
# peak was 325 MB and it fell back to 210 MB (docs/BENCHMARKS.md, section 5).
ENV NODE_ENV=production \
    NODE_OPTIONS=--enable-source-maps \
    MALLOC_ARENA_MAX=2 \
    MALLOC_MMAP_THRESHOLD_=131072 \
    HOST=0.0.0.0 \
    PORT=3000 \
    DATA_DIR=/data
WORKDIR /app
# Fixed uid/gid so that volumes and orchestrators (runAsUser) agree across rebuilds.
RUN groupadd --system --gid 10001 zinda \
 && useradd --system --uid 10001 --gid zinda --home-dir /nonexistent --no-create-home --shell /usr/sbin/nologin zinda \
 && mkdir -p /data \
 && chown zinda:zinda /data \
 && chmod 0700 /data
# Application files stay root-owned and read-only to the app: the model files are checksummed at start,
# and nothing but DATA_DIR is written.
COPY package.json package-lock.json ./
COPY --from=deps /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY models/manifest.json models/calibration.json ./models/
USER 10001:10001
# Encrypted blobs (DATA_DIR/blobs) must be shared by the api and every worker.
VOLUME ["/data"]
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "dist/src/main.js", "api"]
