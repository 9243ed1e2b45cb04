import fs from 'node:fs';
import path from 'node:path';
import express, { type Express } from 'express';
import { AppError } from '../platform/errors';
import { sendProblem } from '../platform/http';
import { packageRoot } from '../platform/paths';

export const CONSOLE_PATH = '/console';

/** Where `npm run build` writes the console bundle (vite, see console/vite.config.mjs). */
export const consoleDir = (): string => path.join(packageRoot(), 'dist', 'console');

/**
 * The console talks only to /api/v1 on this origin and never loads anything from elsewhere, so its pages get a
 * policy that forbids everything else (the API keeps helmet's defaults; Swagger UI needs inline scripts).
 */
const CONSOLE_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
  "form-action 'self'",
].join('; ');

/**
 * Serves the web console (a static single-page app) at /console and sends `/` there. Hashed assets are cached
 * for good; index.html is revalidated so a new build is picked up at once.
 */
export function mountConsole(app: Express, dir = consoleDir()): void {
  app.get('/', (_req, res) => res.redirect(302, `${CONSOLE_PATH}/`));
  app.use(CONSOLE_PATH, (_req, res, next) => {
    res.setHeader('Content-Security-Policy', CONSOLE_CSP);
    next();
  });
  app.use(
    CONSOLE_PATH,
    express.static(dir, {
      index: 'index.html',
      setHeaders: (res, file) => {
        res.setHeader('Cache-Control', file.includes(`${path.sep}assets${path.sep}`) ? 'public, max-age=31536000, immutable' : 'no-cache');
      },
    }),
  );
  app.get(CONSOLE_PATH, (req, res) => {
    if (!fs.existsSync(path.join(dir, 'index.html'))) {
      sendProblem(res, new AppError('not_found', 'the console is not built: run `npm run build`'), req.originalUrl);
      return;
    }
    res.redirect(301, `${CONSOLE_PATH}/`);
  });
}
