// GENERATED from the backend's OpenAPI document by `npm run generate:api-types` — do not edit.
// Source of truth: the zod schemas declared with the routes in backend/src/*/routes.ts.
// Readable names: frontend/src/api/types.ts.

export interface paths {
    "/api/admin/invites": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Invites, newest first, one page at a time */
        get: {
            parameters: {
                query?: {
                    /** @description nextCursor of the previous page; omit for the first page */
                    cursor?: string;
                    /** @description Items per page, 1–100 (default 50) */
                    limit?: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description A page of invites */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            invites: components["schemas"]["Invite"][];
                            /** @description Pass as `cursor` to get the next page; null on the last page */
                            nextCursor: string | null;
                        };
                    };
                };
                /** @description Invalid query */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description No session */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Not an administrator (`forbidden`), or an API key (`session_required`) */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        /** Issue a single-use sign-up invite (the token is shown once) */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: {
                content: {
                    "application/json": {
                        /**
                         * Format: email
                         * @description Only this address may use the invite
                         */
                        email?: string;
                        /** @description Hours until the invite expires (default INVITE_TTL_HOURS) */
                        expiresInHours?: number;
                    };
                };
            };
            responses: {
                /** @description Created */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            invite: components["schemas"]["Invite"];
                            /** @description The sign-up link, relative to the dashboard: `/signup?invite=<token>` */
                            path: string;
                            /** @description Shown once: only a hash is kept */
                            token: string;
                        };
                    };
                };
                /** @description Invalid input */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description No session */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Not an administrator (`forbidden`), or an API key (`session_required`) */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/admin/invites/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** Revoke an unused invite */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Revoked (again: no change) */
                204: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description No session */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Not an administrator (`forbidden`), or an API key (`session_required`) */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description No such invite */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `invite_used`: already used */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/admin/users": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Every account, newest first, one page at a time (search by email) */
        get: {
            parameters: {
                query?: {
                    /** @description nextCursor of the previous page; omit for the first page */
                    cursor?: string;
                    /** @description Items per page, 1–100 (default 50) */
                    limit?: string;
                    /** @description Case-insensitive search in the email (substring) */
                    q?: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description A page of users */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Pass as `cursor` to get the next page; null on the last page */
                            nextCursor: string | null;
                            users: components["schemas"]["AdminUser"][];
                        };
                    };
                };
                /** @description Invalid query */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description No session */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Not an administrator (`forbidden`), or an API key (`session_required`) */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/admin/users/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** Delete an account with its streams, VODs (objects deleted by the VOD worker), sessions, API keys and webhooks; live publishers are disconnected first */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Deleted */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            deleted: {
                                streams: number;
                                /** @description VOD rows deleted; their objects are deleted by the VOD worker */
                                vods: number;
                                webhooks: number;
                            };
                            kicked: number;
                        };
                    };
                };
                /** @description `cannot_delete_self` */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description No session */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Not an administrator (`forbidden`), or an API key (`session_required`) */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description No such user */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `vods_processing`: a VOD is being uploaded */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/admin/users/{id}/disable": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Disable an account: its sessions and API keys stop working, its streams are refused at admission, its live publishers are disconnected */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Disabled (again: no change) */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Live publishers disconnected (their sessions ended with `user_disabled`) */
                            kicked: number;
                            user: components["schemas"]["AdminUser"];
                        };
                    };
                };
                /** @description `cannot_disable_self` */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description No session */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Not an administrator (`forbidden`), or an API key (`session_required`) */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description No such user */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/admin/users/{id}/enable": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Enable a disabled account again */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Enabled */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            user: components["schemas"]["AdminUser"];
                        };
                    };
                };
                /** @description No session */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Not an administrator (`forbidden`), or an API key (`session_required`) */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description No such user */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/api-keys": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Your API keys (active first, then revoked), without their secrets */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description API keys */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            apiKeys: {
                                /** Format: date-time */
                                createdAt: string;
                                /** Format: uuid */
                                id: string;
                                /**
                                 * Format: date-time
                                 * @description Last authenticated request, updated at most once a minute
                                 */
                                lastUsedAt: string | null;
                                name: string;
                                prefix: string;
                                /** Format: date-time */
                                revokedAt: string | null;
                                scopes: ("streams:read" | "streams:write" | "vods:read" | "vods:write" | "webhooks:read" | "webhooks:write")[];
                            }[];
                        };
                    };
                };
                /** @description No session */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description API keys cannot manage API keys (session_required) */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        /** Create an API key; the key is shown only in this answer */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: {
                content: {
                    "application/json": {
                        name: string;
                        scopes: ("streams:read" | "streams:write" | "vods:read" | "vods:write" | "webhooks:read" | "webhooks:write")[];
                    };
                };
            };
            responses: {
                /** @description Created */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            apiKey: {
                                /** Format: date-time */
                                createdAt: string;
                                /** Format: uuid */
                                id: string;
                                /**
                                 * Format: date-time
                                 * @description Last authenticated request, updated at most once a minute
                                 */
                                lastUsedAt: string | null;
                                name: string;
                                prefix: string;
                                /** Format: date-time */
                                revokedAt: string | null;
                                scopes: ("streams:read" | "streams:write" | "vods:read" | "vods:write" | "webhooks:read" | "webhooks:write")[];
                            };
                            /** @description The key itself (`ocp_…`), shown only now: only its hash is stored */
                            key: string;
                        };
                    };
                };
                /** @description Invalid input */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description No session */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description API keys cannot manage API keys (session_required) */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Too many active keys */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/api-keys/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** Revoke an API key: it stops working at once */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Revoked */
                204: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description No session */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description API keys cannot manage API keys (session_required) */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Not found */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/auth/login": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Log in */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: {
                content: {
                    "application/json": {
                        email: string;
                        password: string;
                    };
                };
            };
            responses: {
                /** @description Logged in */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            token: string;
                            user: components["schemas"]["User"];
                        };
                    };
                };
                /** @description Wrong credentials */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `account_disabled`: an administrator disabled this account (only said once the password was right) */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Rate limited (per client address, and per account: failed logins) */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/auth/logout": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Log out: ends the session making this request (its token is refused from now on, on every replica) */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Logged out */
                204: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description No session */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description An API key: sessions are for the dashboard user only (session_required) */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/auth/me": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The logged-in user */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description User */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            user: components["schemas"]["User"];
                        };
                    };
                };
                /** @description No session */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description An API key (session_required) */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/auth/password": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Change your password; every other session of yours ends */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: {
                content: {
                    "application/json": {
                        currentPassword: string;
                        newPassword: string;
                    };
                };
            };
            responses: {
                /** @description Changed; `revoked` other sessions ended (this one stays) */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Other sessions ended */
                            revoked: number;
                        };
                    };
                };
                /** @description Invalid input, `wrong_password` (the current password is not correct) or `weak_password` (the new one is refused by the sign-up policy) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description No session */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description An API key: this route takes dashboard sessions only (session_required) */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description The password was changed by another request meanwhile (`password_changed`) */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Too many wrong current passwords for this account */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/auth/register": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Create an account (REGISTRATION: open, invite with an invite token, closed) */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: {
                content: {
                    "application/json": {
                        /** Format: email */
                        email: string;
                        /** @description The invite token (REGISTRATION=invite): the `invite` of the invite link */
                        invite?: string;
                        password: string;
                    };
                };
            };
            responses: {
                /** @description Account created (the first account of an empty instance becomes admin when FIRST_ACCOUNT_ADMIN) */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            token: string;
                            user: components["schemas"]["User"];
                        };
                    };
                };
                /** @description Invalid input, or `weak_password`: common, guessable or built from the email */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `registration_closed`, `invite_required` (invite mode, no invite), `invite_invalid` (unknown invite), `invite_email_mismatch` (the invite names another email) */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Email taken (`email_taken`; kept on purpose, bounded by the per-address rate limit: docs/reliability.md) */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `invite_used`, `invite_expired` or `invite_revoked` */
                410: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Rate limited */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/auth/registration": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Who may sign up here (for the sign-up page) */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The registration mode */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description No account exists yet: the next sign-up is allowed whatever the mode (and becomes admin when FIRST_ACCOUNT_ADMIN) */
                            firstAccount: boolean;
                            /**
                             * @description REGISTRATION: who may sign up
                             * @enum {string}
                             */
                            mode: "open" | "invite" | "closed";
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/auth/sessions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Your active sessions (device, address, times), most recently used first */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Sessions; `current` marks this one */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            sessions: {
                                /** Format: date-time */
                                createdAt: string;
                                /** @description The session making this request */
                                current: boolean;
                                /** @description Browser and system read from the user agent ("Firefox on Linux") */
                                device: string;
                                /** Format: date-time */
                                expiresAt: string;
                                /** Format: uuid */
                                id: string;
                                /** @description Client address at login (as TRUST_PROXY reads it) */
                                ip: string;
                                /**
                                 * Format: date-time
                                 * @description Last request, to the minute
                                 */
                                lastSeenAt: string;
                                userAgent: string;
                            }[];
                        };
                    };
                };
                /** @description No session */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description An API key: sessions are for the dashboard user only (session_required) */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/auth/sessions/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** End one of your sessions (your current one too: that is a logout) */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Ended (ending an ended session again changes nothing) */
                204: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description No session */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description An API key: sessions are for the dashboard user only (session_required) */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Not found (another user's session, too) */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/auth/sessions/revoke-all": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Log out everywhere (`keepCurrent: true`: everywhere but here) */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: {
                content: {
                    "application/json": {
                        /**
                         * @description true: end every other session and stay logged in here; false (default): log out everywhere, this device too
                         * @default false
                         */
                        keepCurrent?: boolean;
                    };
                };
            };
            responses: {
                /** @description Ended; with keepCurrent false this token is refused from now on */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Sessions ended */
                            revoked: number;
                        };
                    };
                };
                /** @description Invalid input */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description No session */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description An API key: sessions are for the dashboard user only (session_required) */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/beacons/latency": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** A player's measured latency, every 10 s while it plays a live broadcast (no token: bound to the stream's broadcast on air) */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: {
                content: {
                    "application/json": {
                        /** @description Measured glass-to-glass estimate: hls.js `latency` (LL-HLS); jitter-buffer delay + round-trip time (WebRTC) */
                        latencyMs: number;
                        /** @enum {string} */
                        protocol: "webrtc" | "llhls";
                        /** @description The rendition playing (e.g. 720p) */
                        rendition?: string;
                        /**
                         * Format: uuid
                         * @description The current broadcast (`sessionId` of GET /api/public/streams/:id)
                         */
                        sessionId: string;
                        /** Format: uuid */
                        streamId: string;
                        /** @description Random id of this player instance (a fresh one per page load) */
                        viewerId: string;
                    };
                };
            };
            responses: {
                /** @description Accepted (written with the next batch, within about a second) */
                204: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description Invalid JSON or body (`invalid_json`, `validation_error` with details) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description No such stream (or a private one whose broadcast on air is not `sessionId`) */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `session_not_live`: `sessionId` is not the broadcast on air now */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Body over 2 kB */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Not `application/json` (UTF-8), or a compressed body */
                415: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `rate_limited`: too many beacons from this address or this player (Retry-After) */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/beacons/vod": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** A VOD player was playing: the first beacon of a viewerId counts a view, each adds the time watched since the previous one (at most 15 s) */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: {
                content: {
                    "application/json": {
                        /** @description Playback position */
                        positionMs: number;
                        /** @description The playlist token of the VOD (the `token` of `playback.hls` from GET /api/vods/:id) */
                        token: string;
                        /** @description Random id of this player instance (a fresh one per page load) */
                        viewerId: string;
                        /** Format: uuid */
                        vodId: string;
                        /** @description Time played since the previous beacon (0 on the first); more than 15 s counts as 15 s */
                        watchedMs: number;
                    };
                };
            };
            responses: {
                /** @description Accepted (written with the next batch, within about a second) */
                204: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description Invalid JSON or body (`invalid_json`, `validation_error` with details) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `invalid_token` (checked before the VOD is looked up: says nothing about whether it exists) or `token_expired` */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description The token is valid but the VOD is gone or not ready */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Body over 2 kB */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Not `application/json` (UTF-8), or a compressed body */
                415: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `rate_limited`: too many beacons from this address or this player (Retry-After) */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/events": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Status changes of all your streams (SSE) */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description text/event-stream of `stream.status` events: `{streamId, status, at, reconnectDeadline}` (reconnectDeadline set only while reconnecting) */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "text/event-stream": string;
                    };
                };
                /** @description No session */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description An API key without the streams:read scope (insufficient_scope) */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/ome/admission": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** OME AdmissionWebhooks endpoint (X-OME-Signature: base64url HMAC-SHA1 of the body) */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description `{allowed, reason?, new_url?, lifetime?}` for opening, `{}` for closing */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            allowed: boolean;
                            /** @description milliseconds; omitted = no limit */
                            lifetime?: number;
                            new_url?: string;
                            reason?: string;
                        } | Record<string, never>;
                    };
                };
                /** @description Malformed request */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Missing or wrong signature */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Body too large */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Compressed body (OME sends plain JSON) */
                415: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/ome/alert": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** OME Alert module's notifications (X-OME-Signature: base64url HMAC-SHA1 of the body, like admission) */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Applied (or about a stream that is not ours: ignored) */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": Record<string, never>;
                    };
                };
                /** @description Malformed notification */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Missing or wrong signature */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/public/streams/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A public stream (or a private one with a playback token) */
        get: {
            parameters: {
                query?: {
                    token?: string;
                };
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Stream */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            stream: components["schemas"]["PublicStream"];
                        };
                    };
                };
                /** @description Not found */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/public/streams/{id}/playback": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Player URLs for viewers */
        get: {
            parameters: {
                query?: {
                    token?: string;
                };
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Playback */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Playback"];
                    };
                };
                /** @description Not found */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/streams": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Your streams (admins: all), newest first, one page at a time */
        get: {
            parameters: {
                query?: {
                    /** @description nextCursor of the previous page; omit for the first page */
                    cursor?: string;
                    /** @description Items per page, 1–100 (default 50) */
                    limit?: string;
                    /** @description Case-insensitive search in the name/title (substring) */
                    q?: string;
                    /** @description Only streams in this status */
                    status?: "idle" | "live" | "reconnecting" | "ended" | "disabled";
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description A page of streams */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Pass as `cursor` to get the next page; null on the last page */
                            nextCursor: string | null;
                            streams: components["schemas"]["Stream"][];
                        };
                    };
                };
                /** @description Invalid query */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description No session */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description An API key without the streams:read scope (insufficient_scope) */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        /** Create a stream */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: {
                content: {
                    "application/json": {
                        description?: string;
                        name: string;
                        /** @description Seconds a dropped publisher may take to come back into the same broadcast (default 60; 0 = a drop ends it) */
                        reconnectWindowSeconds?: number;
                        record?: boolean;
                        /** @enum {string} */
                        visibility?: "public" | "private";
                    };
                };
            };
            responses: {
                /** @description Created, with OBS settings */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            ingest: components["schemas"]["Ingest"];
                            stream: components["schemas"]["Stream"];
                        };
                    };
                };
                /** @description Invalid input */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description No session */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description An API key without the streams:write scope (insufficient_scope) */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/streams/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A stream */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Stream */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            stream: components["schemas"]["Stream"];
                        };
                    };
                };
                /** @description No session */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description An API key without the streams:read scope (insufficient_scope) */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Not found */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        /** Delete a stream */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Deleted */
                204: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description No session */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description An API key without the streams:write scope (insufficient_scope) */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Not found */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Stream is live */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        options?: never;
        head?: never;
        /** Change a stream */
        patch: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: {
                content: {
                    "application/json": {
                        description?: string;
                        name?: string;
                        /** @description Seconds a dropped publisher may take to come back into the same broadcast (default 60; 0 = a drop ends it) */
                        reconnectWindowSeconds?: number;
                        record?: boolean;
                        /** @enum {string} */
                        visibility?: "public" | "private";
                    };
                };
            };
            responses: {
                /** @description Updated */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            stream: components["schemas"]["Stream"];
                        };
                    };
                };
                /** @description Invalid input */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description No session */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description An API key without the streams:write scope (insufficient_scope) */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Not found */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        trace?: never;
    };
    "/api/streams/{id}/disable": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Refuse publishing and playback; a live publisher is disconnected (session endReason disabled) */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Stream */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            stream: components["schemas"]["Stream"];
                        };
                    };
                };
                /** @description No session */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description An API key without the streams:write scope (insufficient_scope) */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Not found */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/streams/{id}/enable": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Allow publishing and playback again */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Stream */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            stream: components["schemas"]["Stream"];
                        };
                    };
                };
                /** @description No session */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description An API key without the streams:write scope (insufficient_scope) */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Not found */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/streams/{id}/events": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Status changes of one stream (SSE) */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description text/event-stream of `stream.status` events: `{streamId, status, at, reconnectDeadline}` (reconnectDeadline set only while reconnecting) */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "text/event-stream": string;
                    };
                };
                /** @description No session */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description An API key without the streams:read scope (insufficient_scope) */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Not found */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/streams/{id}/health": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Ingest problems OME reported: the current broadcast and the latest ones, with the fix */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Health */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Problems of the broadcast on air now */
                            current: {
                                /** Format: date-time */
                                clearedAt: string | null;
                                /** @description OME's code, e.g. INGRESS_HAS_BFRAME (docs/alert.md) */
                                code: string;
                                /** @description OME's own description */
                                description: string;
                                /** @description What to change in the encoder */
                                fix: string;
                                /** Format: uuid */
                                id: string;
                                /** Format: date-time */
                                raisedAt: string;
                                /** Format: uuid */
                                sessionId: string | null;
                                /** @enum {string} */
                                severity: "warning" | "critical";
                                title: string;
                            }[];
                            /** @description The latest 50 alerts of any broadcast, newest first */
                            history: {
                                /** Format: date-time */
                                clearedAt: string | null;
                                /** @description OME's code, e.g. INGRESS_HAS_BFRAME (docs/alert.md) */
                                code: string;
                                /** @description OME's own description */
                                description: string;
                                /** @description What to change in the encoder */
                                fix: string;
                                /** Format: uuid */
                                id: string;
                                /** Format: date-time */
                                raisedAt: string;
                                /** Format: uuid */
                                sessionId: string | null;
                                /** @enum {string} */
                                severity: "warning" | "critical";
                                title: string;
                            }[];
                        };
                    };
                };
                /** @description No session */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description An API key without the streams:read scope (insufficient_scope) */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Not found */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/streams/{id}/ingest": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** OBS settings: RTMP server + stream key, SRT and WHIP URLs */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Ingest settings */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Ingest"];
                    };
                };
                /** @description No session */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description An API key without the streams:write scope (insufficient_scope) */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Not found */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/streams/{id}/outputs": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A stream's restream destinations with their live state */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Outputs, oldest first */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            outputs: components["schemas"]["StreamOutput"][];
                        };
                    };
                };
                /** @description No session */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description An API key without the streams:read scope (insufficient_scope) */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Not found */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        /** Add a restream destination (pushed by OME while the stream is on air) */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: {
                content: {
                    "application/json": {
                        enabled?: boolean;
                        name: string;
                        /**
                         * @description What is pushed: the source video or one rung of the ladder (with AAC audio)
                         * @enum {string}
                         */
                        rendition?: "source" | "1080p" | "720p" | "480p" | "360p";
                        /** @description The destination's stream key (RTMP: required). SRT: the streamid, or `streamid=…&passphrase=…`. Stored encrypted; never returned (only its last 4 characters). */
                        streamKey?: string;
                        /** @description rtmp://, rtmps:// (server URL with its application, e.g. rtmps://a.rtmps.youtube.com/live2) or srt:// (caller mode; put streamid/passphrase in streamKey) */
                        url: string;
                    };
                };
            };
            responses: {
                /** @description Created (the stream key is never returned: only its last 4 characters) */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            output: components["schemas"]["StreamOutput"];
                        };
                    };
                };
                /** @description Invalid input; `output_url_not_allowed`: the host is a loopback, private, link-local or other non-public address; `output_url_scheme` / `output_url_invalid` / `output_url_has_credentials`: not a usable rtmp(s)/srt destination */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description No session */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description An API key without the streams:write scope (insufficient_scope) */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Not found */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `output_limit`: the stream has the most outputs allowed */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `outputs_not_configured`: the server has no OUTPUT_ENCRYPTION_KEYS */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/streams/{id}/outputs/{outputId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** Remove a restream destination (its push stops) */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                    outputId: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Removed */
                204: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description No session */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description An API key without the streams:write scope (insufficient_scope) */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Not found */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        options?: never;
        head?: never;
        /** Change a restream destination; enabled starts or stops its push at once while live */
        patch: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                    outputId: string;
                };
                cookie?: never;
            };
            requestBody?: {
                content: {
                    "application/json": {
                        enabled?: boolean;
                        name?: string;
                        /**
                         * @description What is pushed: the source video or one rung of the ladder (with AAC audio)
                         * @enum {string}
                         */
                        rendition?: "source" | "1080p" | "720p" | "480p" | "360p";
                        /** @description The destination's stream key (RTMP: required). SRT: the streamid, or `streamid=…&passphrase=…`. Stored encrypted; never returned (only its last 4 characters). */
                        streamKey?: string;
                        /** @description rtmp://, rtmps:// (server URL with its application, e.g. rtmps://a.rtmps.youtube.com/live2) or srt:// (caller mode; put streamid/passphrase in streamKey) */
                        url?: string;
                    };
                };
            };
            responses: {
                /** @description Updated */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            output: components["schemas"]["StreamOutput"];
                        };
                    };
                };
                /** @description Invalid input; `output_url_not_allowed`: the host is a loopback, private, link-local or other non-public address; `output_url_scheme` / `output_url_invalid` / `output_url_has_credentials`: not a usable rtmp(s)/srt destination */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description No session */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description An API key without the streams:write scope (insufficient_scope) */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Not found */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `outputs_not_configured`: the server has no OUTPUT_ENCRYPTION_KEYS */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        trace?: never;
    };
    "/api/streams/{id}/playback": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Player URLs (WebRTC, LL-HLS); private streams get a short-lived token */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Playback */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Playback"];
                    };
                };
                /** @description No session */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description An API key without the streams:read scope (insufficient_scope) */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Not found */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/streams/{id}/rotate-key": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Issue a new stream key; the old one stops working and a live publisher using it is disconnected (session endReason key_rotated) */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description New ingest settings */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Ingest"];
                    };
                };
                /** @description No session */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description An API key without the streams:write scope (insufficient_scope) */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Not found */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/streams/{id}/sessions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Past and current broadcasts, newest first, one page at a time */
        get: {
            parameters: {
                query?: {
                    /** @description nextCursor of the previous page; omit for the first page */
                    cursor?: string;
                    /** @description Items per page, 1–100 (default 50) */
                    limit?: string;
                };
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description A page of sessions */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Pass as `cursor` to get the next page; null on the last page */
                            nextCursor: string | null;
                            sessions: components["schemas"]["StreamSession"][];
                        };
                    };
                };
                /** @description Invalid query */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description No session */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description An API key without the streams:read scope (insufficient_scope) */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Not found */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/streams/{id}/sessions/{sessionId}/health": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A broadcast's health over time (input bitrate, fps, viewers per protocol), its peak viewers and viewer-minutes */
        get: {
            parameters: {
                query?: {
                    /** @description Only the samples after this time (a live chart asks for what is new); peakViewers and viewerMinutes are always over the whole broadcast. At most 20000 samples per answer. */
                    since?: string;
                };
                header?: never;
                path: {
                    id: string;
                    sessionId: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Series */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description HEALTH_SAMPLE_INTERVAL_MS: one sample per this while live */
                            intervalMs: number;
                            /** @description Most concurrent viewers in one sample */
                            peakViewers: number;
                            /** @description Oldest first, at most 20,000 (about 28 hours at 5 s) */
                            samples: {
                                /** Format: date-time */
                                at: string;
                                bitrateInBps: number;
                                fps: number | null;
                                viewers: {
                                    /** @description LL-HLS and the other non-WebRTC viewers */
                                    llhls: number;
                                    total: number;
                                    webrtc: number;
                                };
                            }[];
                            /** @description Viewers × time, summed over the broadcast (a gap in sampling counts at most two intervals) */
                            viewerMinutes: number;
                        };
                    };
                };
                /** @description Invalid query */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description No session */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description An API key without the streams:read scope (insufficient_scope) */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Not found */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/streams/{id}/sessions/{sessionId}/latency": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Viewer latency of a broadcast as its players measured it: p50/p95, samples and viewers per protocol (WebRTC, LL-HLS) */
        get: {
            parameters: {
                query?: {
                    /** @description Only the last this many minutes (live view); the whole broadcast without it */
                    windowMinutes?: string;
                };
                header?: never;
                path: {
                    id: string;
                    sessionId: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Latency per protocol */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description The broadcast is on air (live or reconnecting) */
                            live: boolean;
                            /** @description Latency the players measured, per playback protocol */
                            protocols: {
                                llhls: {
                                    /** @description Median (nearest rank); null without samples */
                                    p50Ms: number | null;
                                    p95Ms: number | null;
                                    samples: number;
                                    /** @description Distinct players that reported */
                                    viewers: number;
                                };
                                webrtc: {
                                    /** @description Median (nearest rank); null without samples */
                                    p50Ms: number | null;
                                    p95Ms: number | null;
                                    samples: number;
                                    /** @description Distinct players that reported */
                                    viewers: number;
                                };
                            };
                            /** Format: uuid */
                            sessionId: string;
                            windowMinutes: number | null;
                        };
                    };
                };
                /** @description Invalid query */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description No session */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description An API key without the streams:read scope (insufficient_scope) */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Not found (or not yours) */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/streams/{id}/stats": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Live input health and concurrent viewers, from OME */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Stats */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["StreamStats"];
                    };
                };
                /** @description No session */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description An API key without the streams:read scope (insufficient_scope) */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Not found */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description OME is unreachable */
                502: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/usage": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Storage your VODs use (the sum of their stored bytes) */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Usage */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            usage: {
                                /** @description Sum of storageBytes over your VODs */
                                storageBytes: number;
                                /** @description Ready VODs whose stored bytes are not measured yet (not in storageBytes; the worker fills them in) */
                                unmeasuredVods: number;
                                vods: number;
                            };
                        };
                    };
                };
                /** @description No session */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description An API key without the vods:read scope (insufficient_scope) */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/vods": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Your VODs (admins: all), newest first, one page at a time */
        get: {
            parameters: {
                query?: {
                    /** @description Only the clips cut from this VOD */
                    clipOf?: string;
                    /** @description nextCursor of the previous page; omit for the first page */
                    cursor?: string;
                    /** @description Items per page, 1–100 (default 50) */
                    limit?: string;
                    /** @description Case-insensitive search in the name/title (substring) */
                    q?: string;
                    /** @description Only VODs in this status */
                    status?: "pending" | "processing" | "ready" | "failed";
                    streamId?: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description A page of VODs */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Pass as `cursor` to get the next page; null on the last page */
                            nextCursor: string | null;
                            vods: components["schemas"]["Vod"][];
                        };
                    };
                };
                /** @description Invalid query */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description No session */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description An API key without the vods:read scope (insufficient_scope) */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/vods/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A VOD, with its HLS playback URL once ready */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description VOD */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description null until the VOD is ready */
                            playback: {
                                /** Format: date-time */
                                expiresAt: string;
                                /** @description Backend URL of the HLS playlist, valid until expiresAt; segment URLs inside are signed GCS URLs */
                                hls: string;
                            } | null;
                            vod: components["schemas"]["VodDetail"];
                        };
                    };
                };
                /** @description No session */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description An API key without the vods:read scope (insufficient_scope) */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Not found */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        /** Delete a VOD and its stored objects */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Deleted */
                204: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description No session */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description An API key without the vods:write scope (insufficient_scope) */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Not found */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `vod_processing`: still processing; `vod_clips_processing`: a clip of it is being cut; `vod_download_preparing`: its MP4 is being built */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Storage not configured */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/vods/{id}/clips": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Cut a clip from a ready VOD (a new VOD, keyframe to keyframe, no re-encoding) */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: {
                content: {
                    "application/json": {
                        /** @description End on the source timeline; at most the VOD duration */
                        endMs: number;
                        /** @description Start on the source timeline (the player position) */
                        startMs: number;
                        title: string;
                    };
                };
            };
            responses: {
                /** @description The clip, processing; it turns ready (or failed, with its error) once the worker has cut it */
                202: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            vod: components["schemas"]["Vod"] & unknown;
                        };
                    };
                };
                /** @description `validation_error`, or `invalid_range`: not 0 ≤ startMs < endMs ≤ duration, or shorter/longer than the limits */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description No session */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description An API key without the vods:write scope (insufficient_scope) */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Not found */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `vod_not_ready`: the VOD is not ready */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/vods/{id}/download": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** A signed, short-lived MP4 download of a VOD (built on first request) */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The MP4 is there: a signed URL that downloads it as an attachment */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** Format: date-time */
                            expiresAt: string;
                            /** @description The file name the download is saved as (from the title) */
                            filename: string;
                            /** @description Signed storage URL of the MP4 (Content-Disposition: attachment), valid until expiresAt */
                            url: string;
                        };
                    };
                };
                /** @description The worker is building the MP4; ask again (GET /api/vods/:id shows download.status) */
                202: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /**
                             * @description The worker is building the MP4: ask again in a few seconds
                             * @enum {string}
                             */
                            status: "preparing";
                        };
                    };
                };
                /** @description No session */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description An API key without the vods:read scope (insufficient_scope) */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Not found */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `vod_not_ready`: the VOD is not ready */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Storage not configured */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/vods/{id}/playlist.m3u8": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** HLS playlist of a VOD with signed segment URLs (token from GET /api/vods/:id) */
        get: {
            parameters: {
                query: {
                    token: string;
                };
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Playlist */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/vnd.apple.mpegurl": string;
                    };
                };
                /** @description Missing token */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Invalid or expired token */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Not found */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Storage not configured */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/vods/{id}/playlists/{name}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One variant (or the audio) playlist of a multi-variant VOD, segment URLs signed (the master links here) */
        get: {
            parameters: {
                query: {
                    token: string;
                };
                header?: never;
                path: {
                    id: string;
                    name: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Media playlist */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/vnd.apple.mpegurl": string;
                    };
                };
                /** @description Missing token or bad name */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Invalid or expired token */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Not found */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Storage not configured */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/webhooks": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Your webhook endpoints, newest first, one page at a time */
        get: {
            parameters: {
                query?: {
                    /** @description nextCursor of the previous page; omit for the first page */
                    cursor?: string;
                    /** @description Items per page, 1–100 (default 50) */
                    limit?: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description A page of endpoints */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            endpoints: components["schemas"]["WebhookEndpoint"][];
                            /** @description Pass as `cursor` to get the next page; null on the last page */
                            nextCursor: string | null;
                        };
                    };
                };
                /** @description Invalid query */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description No session */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description An API key without the webhooks:read scope (insufficient_scope) */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        /** Add an endpoint for outgoing webhooks */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: {
                content: {
                    "application/json": {
                        events?: ("stream.live" | "stream.disconnected" | "stream.reconnected" | "stream.ended" | "vod.ready" | "vod.failed" | "output.active" | "output.failed" | "stream.health")[];
                        /** Format: uri */
                        url: string;
                    };
                };
            };
            responses: {
                /** @description Created; the signing secret is shown only now */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            endpoint: components["schemas"]["WebhookEndpoint"];
                            /** @description Shown only once */
                            secret: string;
                        };
                    };
                };
                /** @description Invalid input, or `webhook_url_not_allowed`: the host is a loopback, private, link-local or other non-public address */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description No session */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description An API key without the webhooks:write scope (insufficient_scope) */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/webhooks/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** Remove an endpoint */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Removed */
                204: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description No session */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description An API key without the webhooks:write scope (insufficient_scope) */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Not found */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        options?: never;
        head?: never;
        /** Change the URL or events of an endpoint, or pause/resume it */
        patch: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: {
                content: {
                    "application/json": {
                        enabled?: boolean;
                        events?: ("stream.live" | "stream.disconnected" | "stream.reconnected" | "stream.ended" | "vod.ready" | "vod.failed" | "output.active" | "output.failed" | "stream.health")[];
                        /** Format: uri */
                        url?: string;
                    };
                };
            };
            responses: {
                /** @description The endpoint as it is now */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            endpoint: components["schemas"]["WebhookEndpoint"];
                        };
                    };
                };
                /** @description Invalid input, or `webhook_url_not_allowed` */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description No session */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description An API key without the webhooks:write scope (insufficient_scope) */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Not found */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        trace?: never;
    };
    "/api/webhooks/{id}/deliveries": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Deliveries of an endpoint, newest first, one page at a time */
        get: {
            parameters: {
                query?: {
                    /** @description nextCursor of the previous page; omit for the first page */
                    cursor?: string;
                    /** @description Items per page, 1–100 (default 50) */
                    limit?: string;
                };
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description A page of deliveries */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            deliveries: components["schemas"]["WebhookDelivery"][];
                            /** @description Pass as `cursor` to get the next page; null on the last page */
                            nextCursor: string | null;
                        };
                    };
                };
                /** @description Invalid query */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description No session */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description An API key without the webhooks:read scope (insufficient_scope) */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Not found */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/webhooks/{id}/deliveries/{deliveryId}/redeliver": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Send a delivery again: the same event (same id and body, so receivers can dedupe), signed anew */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    deliveryId: string;
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Queued again */
                202: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            delivery: components["schemas"]["WebhookDelivery"];
                        };
                    };
                };
                /** @description No session */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description An API key without the webhooks:write scope (insufficient_scope) */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Not found */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description `delivery_pending`: it is still being tried; `endpoint_disabled`: enable the endpoint first */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/webhooks/{id}/rotate-secret": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Make a new signing secret; the old one keeps signing for overlapSeconds */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: {
                content: {
                    "application/json": {
                        /**
                         * @description How long the old secret keeps signing as well (0 = stop at once); at most 7 days
                         * @default 86400
                         */
                        overlapSeconds?: number;
                    };
                };
            };
            responses: {
                /** @description The new secret, shown only now */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            endpoint: components["schemas"]["WebhookEndpoint"];
                            /** @description The new signing secret, shown only once */
                            secret: string;
                        };
                    };
                };
                /** @description Invalid input */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description No session */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description An API key without the webhooks:write scope (insufficient_scope) */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Not found */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/webhooks/{id}/test": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Send a signed `ping` event to the endpoint (also while it is disabled) */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Queued; follow it in the deliveries list */
                202: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            delivery: components["schemas"]["WebhookDelivery"];
                        };
                    };
                };
                /** @description No session */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description An API key without the webhooks:write scope (insufficient_scope) */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Not found */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: {
        AdminUser: {
            /** Format: date-time */
            createdAt: string;
            disabled: boolean;
            /** Format: date-time */
            disabledAt: string | null;
            email: string;
            /** Format: uuid */
            id: string;
            /** @enum {string} */
            role: "user" | "admin";
            /** @description Streams the user owns */
            streams: number;
            /** @description VODs the user owns */
            vods: number;
        };
        Error: {
            error: {
                code: string;
                details?: {
                    message: string;
                    path: string;
                }[];
                message: string;
            };
        };
        Ingest: {
            rtmp: {
                server: string;
                streamKey: string;
            };
            srt: {
                url: string;
            };
            whip: {
                url: string;
            };
        };
        Invite: {
            /** Format: date-time */
            createdAt: string;
            email: string | null;
            /** Format: date-time */
            expiresAt: string;
            /** Format: uuid */
            id: string;
            /** Format: date-time */
            revokedAt: string | null;
            /** @enum {string} */
            state: "pending" | "used" | "expired" | "revoked";
            /** Format: date-time */
            usedAt: string | null;
        };
        /**
         * @description idle: not started yet; starting: OME is connecting (or waiting for the publisher); active: OME is pushing; error: the last push failed (see error; retried while live); stopped: the broadcast ended or the output was disabled
         * @enum {string}
         */
        OutputState: "idle" | "starting" | "active" | "error" | "stopped";
        Playback: {
            /** Format: date-time */
            expiresAt: string | null;
            llhls: string;
            token: string | null;
            webrtc: string;
        };
        PublicStream: {
            description: string;
            /** Format: uuid */
            id: string;
            name: string;
            /**
             * Format: date-time
             * @description While reconnecting: when the broadcast ends unless a publisher comes back
             */
            reconnectDeadline: string | null;
            /**
             * Format: uuid
             * @description The broadcast on air (live or reconnecting), which viewer beacons name (POST /api/beacons/latency); null otherwise
             */
            sessionId: string | null;
            status: components["schemas"]["StreamStatus"];
        };
        Stream: {
            /** Format: date-time */
            createdAt: string;
            description: string;
            /** Format: uuid */
            id: string;
            /** Format: date-time */
            lastEndedAt: string | null;
            /** Format: date-time */
            lastStartedAt: string | null;
            name: string;
            /** Format: uuid */
            ownerId: string;
            /**
             * Format: date-time
             * @description While reconnecting: when the broadcast ends unless a publisher comes back
             */
            reconnectDeadline: string | null;
            reconnectWindowSeconds: number;
            record: boolean;
            status: components["schemas"]["StreamStatus"];
            /** Format: date-time */
            updatedAt: string;
            /** @enum {string} */
            visibility: "public" | "private";
        };
        StreamOutput: {
            /** Format: date-time */
            createdAt: string;
            enabled: boolean;
            /** @description Why the last push failed (OME's reason, blocked_address, …) */
            error: string | null;
            /** Format: uuid */
            id: string;
            name: string;
            /**
             * Format: date-time
             * @description While in error and on air: when the push is tried again
             */
            nextAttemptAt: string | null;
            /** @enum {string} */
            protocol: "rtmp" | "srt";
            /** @enum {string} */
            rendition: "source" | "1080p" | "720p" | "480p" | "360p";
            state: components["schemas"]["OutputState"];
            /** Format: date-time */
            stateChangedAt: string;
            /** Format: uuid */
            streamId: string;
            /** @description The last 4 characters of the stream key ("" when the key is shorter than 8 or empty); the key itself is never returned */
            streamKeyLast4: string;
            /** Format: date-time */
            updatedAt: string;
            url: string;
        };
        StreamSession: {
            clientAddress: string;
            /** Format: date-time */
            endedAt: string | null;
            endReason: string | null;
            /** @description Times without a publisher, oldest first; endedAt null: the publisher did not come back (the last one, or the current one while reconnecting) */
            gaps: {
                /** Format: date-time */
                endedAt: string | null;
                /** Format: date-time */
                startedAt: string;
            }[];
            /** Format: uuid */
            id: string;
            /** @enum {string} */
            protocol: "rtmp" | "srt" | "webrtc";
            /** @description Times a publisher came back inside the reconnect window */
            reconnectCount: number;
            /** Format: date-time */
            startedAt: string;
            /** @description The broadcast's VOD (all of its pieces joined), null until the worker has made it or when recording was off */
            vod: {
                /** Format: uuid */
                id: string;
                /** @enum {string} */
                status: "pending" | "processing" | "ready" | "failed";
            } | null;
        };
        StreamStats: {
            input: {
                audioCodec: string | null;
                bitrateBps: number;
                fps: number | null;
                height: number | null;
                videoCodec: string | null;
                width: number | null;
            } | null;
            live: boolean;
            streamId: string;
            updatedAt: string;
            viewers: {
                llhls: number;
                total: number;
                webrtc: number;
            };
        };
        /** @enum {string} */
        StreamStatus: "idle" | "live" | "reconnecting" | "ended" | "disabled";
        User: {
            /** Format: date-time */
            createdAt: string;
            disabled: boolean;
            email: string;
            /** Format: uuid */
            id: string;
            /** @enum {string} */
            role: "user" | "admin";
        };
        Vod: {
            /** @description Set when this VOD is a clip of another */
            clip: {
                /** @description Where it really ends: the keyframe at or after endMs, or the end of the source (set once ready) */
                actualEndMs: number | null;
                /** @description Where the clip really starts: the keyframe at or before startMs (set once ready) */
                actualStartMs: number | null;
                /** @description End asked for, on the source timeline */
                endMs: number;
                /**
                 * Format: uuid
                 * @description The VOD it was cut from; null once that one was deleted (the clip keeps playing)
                 */
                sourceId: string | null;
                sourceTitle: string | null;
                /** @description Start asked for, on the source timeline */
                startMs: number;
            } | null;
            /** Format: date-time */
            createdAt: string;
            /** @description The MP4 download (POST /api/vods/:id/download) */
            download: {
                error: string | null;
                sizeBytes: number | null;
                /**
                 * @description none: never asked for; preparing: the worker builds it; failed: see error (asking again retries)
                 * @enum {string}
                 */
                status: "none" | "preparing" | "ready" | "failed";
            };
            durationMs: number | null;
            /** @description Why processing failed (status failed) */
            error: string | null;
            /** Format: uuid */
            id: string;
            /** @description Signed, short-lived URL of the poster image */
            posterUrl: string | null;
            /** Format: date-time */
            readyAt: string | null;
            /** Format: uuid */
            sessionId: string | null;
            /** @description Size of the original recording */
            sizeBytes: number | null;
            status: components["schemas"]["VodStatus"];
            /** @description Bytes this VOD keeps in storage over all its objects (originals, every rendition, playlists, poster); null until measured */
            storageBytes: number | null;
            /** Format: uuid */
            streamId: string | null;
            title: string;
            /** @description Replays: distinct players that played it (viewer beacons, POST /api/beacons/vod) */
            views: number;
            /** @description Time those players spent playing it, summed */
            watchTimeSeconds: number;
        };
        VodDetail: {
            /** @description Set when this VOD is a clip of another */
            clip: {
                /** @description Where it really ends: the keyframe at or after endMs, or the end of the source (set once ready) */
                actualEndMs: number | null;
                /** @description Where the clip really starts: the keyframe at or before startMs (set once ready) */
                actualStartMs: number | null;
                /** @description End asked for, on the source timeline */
                endMs: number;
                /**
                 * Format: uuid
                 * @description The VOD it was cut from; null once that one was deleted (the clip keeps playing)
                 */
                sourceId: string | null;
                sourceTitle: string | null;
                /** @description Start asked for, on the source timeline */
                startMs: number;
            } | null;
            /** Format: date-time */
            createdAt: string;
            /** @description The MP4 download (POST /api/vods/:id/download) */
            download: {
                error: string | null;
                sizeBytes: number | null;
                /**
                 * @description none: never asked for; preparing: the worker builds it; failed: see error (asking again retries)
                 * @enum {string}
                 */
                status: "none" | "preparing" | "ready" | "failed";
            };
            durationMs: number | null;
            /** @description Why processing failed (status failed) */
            error: string | null;
            /** Format: uuid */
            id: string;
            /** @description Signed, short-lived URL of the poster image */
            posterUrl: string | null;
            /** Format: date-time */
            readyAt: string | null;
            /** @description The variants a player can pick, tallest first; one for a single-rendition VOD; empty until ready */
            renditions: components["schemas"]["VodRendition"][];
            /** Format: uuid */
            sessionId: string | null;
            /** @description Size of the original recording */
            sizeBytes: number | null;
            status: components["schemas"]["VodStatus"];
            /** @description Bytes this VOD keeps in storage over all its objects (originals, every rendition, playlists, poster); null until measured */
            storageBytes: number | null;
            /** Format: uuid */
            streamId: string | null;
            title: string;
            /** @description Replays: distinct players that played it (viewer beacons, POST /api/beacons/vod) */
            views: number;
            /** @description Time those players spent playing it, summed */
            watchTimeSeconds: number;
        };
        VodRendition: {
            /** @description Average bit rate with the audio, bits/s (AVERAGE-BANDWIDTH) */
            averageBandwidth: number | null;
            /** @description Peak segment bit rate with the audio, bits/s (the master playlist BANDWIDTH) */
            bandwidth: number | null;
            /** @description RFC 6381 codecs (CODECS), e.g. avc1.64001F,mp4a.40.2; null when unknown (older VODs) */
            codecs: string | null;
            frameRate: number | null;
            height: number | null;
            /** @description source, a ladder rung (1080p, 720p, …) or audio (an audio-only VOD) */
            name: string;
            width: number | null;
        };
        /** @enum {string} */
        VodStatus: "pending" | "processing" | "ready" | "failed";
        WebhookDelivery: {
            attempts: number;
            /** Format: date-time */
            createdAt: string;
            /** Format: date-time */
            deliveredAt: string | null;
            /** Format: uuid */
            eventId: string;
            /**
             * @description ping: a test sent from the dashboard or POST /api/webhooks/{id}/test
             * @enum {string}
             */
            eventType: "stream.live" | "stream.disconnected" | "stream.reconnected" | "stream.ended" | "vod.ready" | "vod.failed" | "output.active" | "output.failed" | "stream.health" | "ping";
            /** Format: uuid */
            id: string;
            lastError: string | null;
            lastStatusCode: number | null;
            /** @enum {string} */
            status: "pending" | "succeeded" | "failed";
        };
        WebhookEndpoint: {
            /** Format: date-time */
            createdAt: string;
            /** Format: date-time */
            disabledAt: string | null;
            /**
             * @description Why it is disabled: paused by you, or disabled automatically after failing every delivery for WEBHOOK_AUTO_DISABLE_DAYS
             * @enum {string|null}
             */
            disabledReason: "owner" | "failing" | null;
            enabled: boolean;
            events: components["schemas"]["WebhookEventType"][];
            /**
             * Format: date-time
             * @description First failed attempt since the last successful one; null while deliveries succeed
             */
            failingSince: string | null;
            /** Format: uuid */
            id: string;
            /**
             * Format: date-time
             * @description After a secret rotation: until then the old secret signs too (a second v1= in X-OCP-Signature)
             */
            previousSecretExpiresAt: string | null;
            url: string;
        };
        /** @enum {string} */
        WebhookEventType: "stream.live" | "stream.disconnected" | "stream.reconnected" | "stream.ended" | "vod.ready" | "vod.failed" | "output.active" | "output.failed" | "stream.health";
    };
    responses: never;
    parameters: never;
    requestBodies: never;
    headers: never;
    pathItems: never;
}
export type $defs = Record<string, never>;
export type operations = Record<string, never>;
