import { type Static, Type } from 'typebox';

export const Readiness = Type.Object(
  {
    database: Type.Union([Type.Literal('ok'), Type.Literal('down')]),
    redis: Type.Union([Type.Literal('ok'), Type.Literal('down'), Type.Literal('off')]),
  },
  { title: 'Readiness' },
);
export type Readiness = Static<typeof Readiness>;
