FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci
COPY . .
RUN npm run build && npm prune --omit=dev

FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production
# A larger young generation: requests in flight die young instead of being promoted (see docs/guides/operations.md, Runtime flags).
ENV NODE_OPTIONS=--max-semi-space-size=64
COPY --from=build /app /app
USER node
EXPOSE 8080
CMD ["node", "bin/hookhub.js", "start"]
