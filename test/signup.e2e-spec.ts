import { signUpOwner } from './support/flows';
import { useService } from './support/service';

describe('sign-up → set password → profile → logout', () => {
  const svc = useService();
  const { smtp, http } = svc;

  it('walks through the whole first slice', async () => {
    const owner = await signUpOwner(svc.app, smtp);
    const me = await http.get('/me', { token: owner.accessToken });
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({
      email: owner.email,
      role: 'owner',
      status: 'active',
      twoFactorEnabled: false,
      phone: null,
    });
    expect(me.headers.get('cache-control')).toBe('no-store');
    const out = await http.post('/auth/logout', {}, { token: owner.accessToken });
    expect(out.status).toBe(204);
    const after = await http.get('/me', { token: owner.accessToken });
    expect(after.status).toBe(401);
    expect(after.body).toEqual({
      statusCode: 401,
      code: 'unauthenticated',
      message: expect.any(String),
    });
  });
});
