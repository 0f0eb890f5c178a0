# The game server. Runs TypeScript through tsx (no build step), as `npm start` does.
FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production
COPY package.json package-lock.json ./
COPY packages/protocol/package.json packages/protocol/
COPY packages/client/package.json packages/client/
COPY packages/game/package.json packages/game/
COPY web/package.json web/
COPY server/package.json server/
COPY console/package.json console/
COPY bench/package.json bench/
RUN npm ci --omit=dev --no-audit --no-fund --workspace server --workspace packages/protocol
COPY packages/protocol packages/protocol
COPY server server
RUN mkdir -p /data && chown node:node /data
USER node
ENV HOST=0.0.0.0 PORT=8080 DATA_DIR=/data
EXPOSE 8080
HEALTHCHECK --interval=10s --timeout=3s CMD node -e "fetch('http://127.0.0.1:8080/readyz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
CMD ["node", "--import", "tsx", "server/src/main.ts"]
