// How the question bank's tags read to people (the values are the API's).
import type { Question } from './api.ts';

export const KINDS: { value: Question['kind']; label: string }[] = [
  { value: 'behavioural', label: 'Behavioural' },
  { value: 'situational', label: 'Situational' },
  { value: 'role_specific', label: 'Role-specific' },
  { value: 'motivation', label: 'Motivation' },
];

export const ROLES: { value: string; label: string }[] = [
  { value: 'software-engineer', label: 'Software engineer' },
  { value: 'product-manager', label: 'Product manager' },
  { value: 'data', label: 'Data' },
  { value: 'design', label: 'Design' },
  { value: 'sales', label: 'Sales' },
  { value: 'customer-success', label: 'Customer success' },
  { value: 'people-manager', label: 'People manager' },
  { value: 'new-graduate', label: 'New graduate' },
];

export const DIFFICULTIES = [
  { value: 1, label: 'Easy' },
  { value: 2, label: 'Medium' },
  { value: 3, label: 'Hard' },
] as const;

export const difficultyLabel = (d: number) => DIFFICULTIES.find((x) => x.value === d)?.label ?? '';
export const kindLabel = (k: Question['kind']) => KINDS.find((x) => x.value === k)?.label ?? k;
