/**
 * How text reaches a socket (features/realtime/connection.ts): frames written in one turn of the event
 * loop leave in one system call. Real sockets: a ws server on 127.0.0.1, its TCP stream watched where
 * Node hands the kernel its chunks (a corked stream flushes through `_writev`, one call per flush).
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket, { WebSocketServer } from 'ws';
import { newConnection, write } from '../../src/features/realtime/connection';

interface Opened {
  server: Server;
  client: WebSocket;
  serverSide: WebSocket;
  stream: Socket;
  /** The chunks of each flush of the server side's stream, in order. */
  flushes: number[];
  received: string[];
}

let opened: Opened | null = null;

async function open(): Promise<Opened> {
  const server = createServer();
  const wss = new WebSocketServer({ server });
  const accepted = new Promise<[WebSocket, IncomingMessage]>((resolve) =>
    wss.once('connection', (ws, request) => resolve([ws, request])),
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const client = new WebSocket(`ws://127.0.0.1:${port}`);
  const received: string[] = [];
  client.on('message', (data: Buffer) => received.push(data.toString('utf8')));
  const [serverSide, request] = await accepted;
  await new Promise((resolve) =>
    client.readyState === WebSocket.OPEN ? resolve(null) : client.once('open', resolve),
  );
  const stream = request.socket;
  const flushes: number[] = [];
  const writable = stream as unknown as {
    _writev(chunks: unknown[], callback: (error?: Error | null) => void): void;
    _write(chunk: unknown, encoding: string, callback: (error?: Error | null) => void): void;
  };
  const writev = writable._writev.bind(stream);
  const writeOne = writable._write.bind(stream);
  writable._writev = (chunks, callback) => {
    flushes.push(chunks.length);
    writev(chunks, callback);
  };
  writable._write = (chunk, encoding, callback) => {
    flushes.push(1);
    writeOne(chunk, encoding, callback);
  };
  opened = { server, client, serverSide, stream, flushes, received };
  return opened;
}

afterEach(async () => {
  if (!opened) return;
  opened.client.terminate();
  opened.serverSide.terminate();
  await new Promise((resolve) => opened?.server.close(resolve));
  opened = null;
});

const waitForFrames = async (o: Opened, n: number) => {
  for (let i = 0; i < 200 && o.received.length < n; i++) await new Promise((r) => setTimeout(r, 5));
};

describe('writing to a socket', () => {
  it('sends the frames of one turn in one flush of the stream, and those of the next turn in another', async () => {
    const o = await open();
    const conn = newConnection(o.serverSide, o.stream);
    conn.state = 'open';
    write(conn, '{"type":"battle.resolved"}', 1 << 20);
    write(conn, '{"type":"balance"}', 1 << 20);
    await waitForFrames(o, 2);
    write(conn, '{"type":"presence"}', 1 << 20);
    await waitForFrames(o, 3);
    expect(o.received).toEqual(['{"type":"battle.resolved"}', '{"type":"balance"}', '{"type":"presence"}']);
    // Two frames (a header and a payload each) in one flush, then the third alone.
    expect(o.flushes).toEqual([4, 2]);
  });

  it('without the stream each frame is a flush of its own (what the cork saves)', async () => {
    const o = await open();
    const conn = newConnection(o.serverSide);
    conn.state = 'open';
    write(conn, '{"type":"battle.resolved"}', 1 << 20);
    write(conn, '{"type":"balance"}', 1 << 20);
    await waitForFrames(o, 2);
    expect(o.received).toHaveLength(2);
    expect(o.flushes).toEqual([2, 2]);
  });
});
