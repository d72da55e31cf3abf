// Roles and what each may do: the one table of HERMES' access rules. Routes ask for a permission, never a role,
// so changing who may do what is an edit here and nowhere else.

export const ROLES = ['owner', 'attorney', 'staff', 'viewer'] as const;
export type Role = (typeof ROLES)[number];

export const PERMISSIONS = [
  'calls:read',
  'intakes:read',
  'intakes:write',
  'flows:read',
  'flows:write',
  'integrations:manage',
  'users:manage',
  'firm:manage',
  'analytics:read',
  'billing:read',
] as const;
export type Permission = (typeof PERMISSIONS)[number];

/**
 * owner: the firm's administrator, everything. attorney: works the intakes, shapes the flows, sees the numbers.
 * staff: reviews calls and works intakes, nothing that changes how calls are answered. viewer: reads.
 */
export const ROLE_PERMISSIONS: Readonly<Record<Role, readonly Permission[]>> = {
  owner: PERMISSIONS,
  attorney: ['calls:read', 'intakes:read', 'intakes:write', 'flows:read', 'flows:write', 'analytics:read', 'billing:read'],
  staff: ['calls:read', 'intakes:read', 'intakes:write', 'flows:read'],
  viewer: ['calls:read', 'intakes:read', 'flows:read', 'analytics:read'],
};

export function isRole(v: unknown): v is Role {
  return typeof v === 'string' && (ROLES as readonly string[]).includes(v);
}

export function can(role: Role, permission: Permission): boolean {
  return ROLE_PERMISSIONS[role].includes(permission);
}
