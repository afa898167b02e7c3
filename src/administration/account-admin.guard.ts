import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { ApiError } from '../common/api-error';
import { AuthenticatedRequest } from '../auth/sessions/auth-context';

/** Account administration: the owner and admins only (runs after the global session guard). */
@Injectable()
export class AccountAdminGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const { auth } = context.switchToHttp().getRequest<AuthenticatedRequest>();
    if (!auth) throw ApiError.unauthenticated();
    if (auth.role !== 'owner' && auth.role !== 'admin') {
      throw ApiError.forbidden('Only the owner or an admin of the account can do this.');
    }
    return true;
  }
}
