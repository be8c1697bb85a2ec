# syntax=docker/dockerfile:1
# KI-Community as a container image: docker build --build-arg APP_COMMIT=$(git rev-parse --short HEAD) -t ki-community .
# Three stages: the build (with the TypeScript compiler), the production dependencies (with the C++ tool chain for
# the native modules), and the image that runs: Node.js, the compiled code, the production dependencies and the data
# files, as the unprivileged user node.

FROM node:20-bookworm-slim AS build
WORKDIR /app
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY scripts/build.mjs scripts/build.mjs
COPY src src
RUN npm run build

FROM node:20-bookworm-slim AS deps
WORKDIR /app
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force

FROM node:20-bookworm-slim
ARG APP_COMMIT=""
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000 \
    DATA_DIR=/data \
    APP_COMMIT=${APP_COMMIT}
WORKDIR /app
COPY --from=deps /app/node_modules node_modules
COPY --from=build /app/dist dist
COPY package.json package-lock.json LICENSE THIRD-PARTY-LICENSES.md publiccode.yml ./
COPY public public
COPY reference reference
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME ["/data"]
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# node itself (not npm) receives SIGTERM from docker stop and shuts down gracefully.
CMD ["node", "dist/server.js"]
