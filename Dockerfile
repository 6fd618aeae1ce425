# Production image: the same code runs every role; ROLES picks them.
FROM node:20-bookworm-slim
WORKDIR /app

# Built as root and left root-owned: the app, running as `node`, can read its
# code and dependencies but not change them.
COPY package.json package-lock.json ./
# Dependencies' install scripts are skipped as npm 11 skips them by default
# (the tested setup); the project's own postinstall would need the schema,
# which is not copied yet, so the client is generated explicitly below.
RUN npm ci --ignore-scripts --include=dev --no-audit --no-fund
COPY . .
# The Prisma CLI is a devDependency: generate before the devDependencies go.
# (npm keeps `prisma` itself, an optional peer of @prisma/client.)
RUN npm run db:generate \
 && npm run build \
 && npm prune --omit=dev --ignore-scripts --no-audit --no-fund \
 && npm cache clean --force

# A container listens on every interface so its published port answers
# (with no token, the sandbox still stays on the container's own loopback).
ENV NODE_ENV=production DATA_DIR=/app/data HTTP_HOST=0.0.0.0
# As `npm start` sets them (package.json): fewer malloc arenas and earlier
# returns of freed memory keep the resident size down.
ENV MALLOC_ARENA_MAX=2 MALLOC_MMAP_THRESHOLD_=32768
# The one place the app writes: the embedded database, local files, the
# file-link secret. Created before VOLUME so a new volume starts owned by node.
RUN mkdir -p /app/data && chown node:node /app/data
VOLUME /app/data
USER node
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s --retries=3 CMD node -e "fetch('http://127.0.0.1:'+(process.env.HTTP_PORT||8080)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
# node itself, not npm or npx: no shell in between, so `docker stop`'s SIGTERM
# reaches the app's graceful shutdown.
# The compiled app (`npm run build` above) with the same flags as `npm start`
# (package.json): a small young generation keeps the resident memory down.
CMD ["node", "--max-semi-space-size=2", "--optimize-for-size", "--wasm-lazy-compilation", "--v8-pool-size=1", "dist/app/main.js"]
