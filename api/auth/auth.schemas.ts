import { z } from 'zod';
import { text } from '../core/text';

export const loginSchema = z
  .object({ username: text().min(1).max(40), password: text('secret').min(1).max(200) })
  .strict();
export const terminalLoginSchema = z
  .object({ terminalId: text().min(1).max(32), secret: text('secret').min(1).max(200) })
  .strict();
