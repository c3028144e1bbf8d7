import { z } from 'zod';

export const loginSchema = z.object({ username: z.string().min(1).max(40), password: z.string().min(1).max(200) }).strict();
export const terminalLoginSchema = z.object({ terminalId: z.string().min(1).max(32), secret: z.string().min(1).max(200) }).strict();
