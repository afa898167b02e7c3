/**
 * The reference for GET /me: a bare NestJS app with one route answering {ok:true}, on the
 * express or the fastify adapter. No guard, no logging, no database.
 * Usage: node -r ts-node/register/transpile-only bench/baseline-app.ts <express|fastify> <port>
 */
import 'reflect-metadata';
import { Controller, Get, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter } from '@nestjs/platform-fastify';

@Controller()
class OkController {
  @Get('ok')
  ok(): { ok: true } {
    return { ok: true };
  }
}

@Module({ controllers: [OkController] })
class BaselineModule {}

async function main(): Promise<void> {
  const [adapter, port] = process.argv.slice(2);
  const app =
    adapter === 'fastify'
      ? await NestFactory.create(BaselineModule, new FastifyAdapter(), { logger: false })
      : await NestFactory.create(BaselineModule, { logger: false });
  await app.listen(Number(port), '127.0.0.1');
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
