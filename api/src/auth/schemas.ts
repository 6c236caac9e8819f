import { Type } from 'typebox';

export const User = Type.Object({
  id: Type.String(),
  email: Type.Union([Type.String(), Type.Null()]),
  emailVerified: Type.Boolean(),
  name: Type.String(),
  roles: Type.Array(Type.String()),
  guest: Type.Boolean(),
});

export const Me = Type.Object({ user: User });
