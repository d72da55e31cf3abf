// Generated from HERMES's OpenAPI document by `npm run gen:api` (src/web/openapi-types.ts). Do not edit:
// test/web/api-types.test.ts fails when this file no longer matches the API.
/* eslint-disable */
export interface paths {
    "/": {
        parameters: { query?: never; header?: never; path?: never; cookie?: never };
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                200: {
                    headers: { [name: string]: unknown };
                    content?: never;
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
    "/api/analytics/summary": {
        parameters: { query?: never; header?: never; path?: never; cookie?: never };
        get: {
            parameters: {
                query?: {
                    from?: string;
                    to?: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                200: {
                    headers: { [name: string]: unknown };
                    content: {
                        "application/json": {
                            from: string;
                            to: string;
                            timezone: string;
                            calls: number;
                            callsPerDay: {
                                day: string;
                                calls: number;
                            }[];
                            completedIntakes: number;
                            emergencies: number;
                            turnLatencyMs: {
                                samples: number;
                                avg: number | null;
                                p95: number | null;
                            };
                        };
                    };
                };
                400: {
                    headers: { [name: string]: unknown };
                    content: {
                        "application/json": {
                            error: string;
                            message?: string;
                            details?: {
                                path: string;
                                message: string;
                            }[];
                        };
                    };
                };
                401: {
                    headers: { [name: string]: unknown };
                    content: {
                        "application/json": {
                            error: string;
                            message?: string;
                            details?: {
                                path: string;
                                message: string;
                            }[];
                        };
                    };
                };
                403: {
                    headers: { [name: string]: unknown };
                    content: {
                        "application/json": {
                            error: string;
                            message?: string;
                            details?: {
                                path: string;
                                message: string;
                            }[];
                        };
                    };
                };
                404: {
                    headers: { [name: string]: unknown };
                    content: {
                        "application/json": {
                            error: string;
                            message?: string;
                            details?: {
                                path: string;
                                message: string;
                            }[];
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
    "/api/billing/summary": {
        parameters: { query?: never; header?: never; path?: never; cookie?: never };
        get: {
            parameters: {
                query?: {
                    from?: string;
                    to?: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                200: {
                    headers: { [name: string]: unknown };
                    content: {
                        "application/json": {
                            from: string;
                            to: string;
                            payments: {
                                status: string;
                                intakes: number;
                            }[];
                        };
                    };
                };
                400: {
                    headers: { [name: string]: unknown };
                    content: {
                        "application/json": {
                            error: string;
                            message?: string;
                            details?: {
                                path: string;
                                message: string;
                            }[];
                        };
                    };
                };
                401: {
                    headers: { [name: string]: unknown };
                    content: {
                        "application/json": {
                            error: string;
                            message?: string;
                            details?: {
                                path: string;
                                message: string;
                            }[];
                        };
                    };
                };
                403: {
                    headers: { [name: string]: unknown };
                    content: {
                        "application/json": {
                            error: string;
                            message?: string;
                            details?: {
                                path: string;
                                message: string;
                            }[];
                        };
                    };
                };
                404: {
                    headers: { [name: string]: unknown };
                    content: {
                        "application/json": {
                            error: string;
                            message?: string;
                            details?: {
                                path: string;
                                message: string;
                            }[];
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
    "/api/calls": {
        parameters: { query?: never; header?: never; path?: never; cookie?: never };
        get: {
            parameters: {
                query?: {
                    from?: string;
                    to?: string;
                    status?: string;
                    outcome?: string;
                    limit?: number;
                    offset?: number;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                200: {
                    headers: { [name: string]: unknown };
                    content: {
                        "application/json": {
                            items: {
                                callSid: string;
                                from: string;
                                to: string;
                                flowId: string;
                                flowVersion: string;
                                status: string;
                                outcome: string | null;
                                endReason: string | null;
                                durationS: number | null;
                                startedAt: string | null;
                                endedAt: string | null;
                            }[];
                            total: number;
                            limit: number;
                            offset: number;
                        };
                    };
                };
                400: {
                    headers: { [name: string]: unknown };
                    content: {
                        "application/json": {
                            error: string;
                            message?: string;
                            details?: {
                                path: string;
                                message: string;
                            }[];
                        };
                    };
                };
                401: {
                    headers: { [name: string]: unknown };
                    content: {
                        "application/json": {
                            error: string;
                            message?: string;
                            details?: {
                                path: string;
                                message: string;
                            }[];
                        };
                    };
                };
                403: {
                    headers: { [name: string]: unknown };
                    content: {
                        "application/json": {
                            error: string;
                            message?: string;
                            details?: {
                                path: string;
                                message: string;
                            }[];
                        };
                    };
                };
                404: {
                    headers: { [name: string]: unknown };
                    content: {
                        "application/json": {
                            error: string;
                            message?: string;
                            details?: {
                                path: string;
                                message: string;
                            }[];
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
    "/api/calls/{callSid}": {
        parameters: { query?: never; header?: never; path?: never; cookie?: never };
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    callSid: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                200: {
                    headers: { [name: string]: unknown };
                    content: {
                        "application/json": {
                            callSid: string;
                            from: string;
                            to: string;
                            flowId: string;
                            flowVersion: string;
                            status: string;
                            outcome: string | null;
                            endReason: string | null;
                            durationS: number | null;
                            startedAt: string | null;
                            endedAt: string | null;
                            turns: {
                                seq: number;
                                speaker: string;
                                text: string;
                                heardText: string | null;
                                interrupted: boolean;
                                startedAt: string | null;
                                endedAt: string | null;
                                llmFirstTokenMs: number | null;
                                ttsFirstByteMs: number | null;
                                firstFrameMs: number | null;
                            }[];
                            intakeId: number | null;
                            recording: {
                                status: "in-progress" | "completed" | "failed" | "deleted";
                                durationSeconds: number | null;
                                mediaPath: string;
                            } | null;
                        };
                    };
                };
                400: {
                    headers: { [name: string]: unknown };
                    content: {
                        "application/json": {
                            error: string;
                            message?: string;
                            details?: {
                                path: string;
                                message: string;
                            }[];
                        };
                    };
                };
                401: {
                    headers: { [name: string]: unknown };
                    content: {
                        "application/json": {
                            error: string;
                            message?: string;
                            details?: {
                                path: string;
                                message: string;
                            }[];
                        };
                    };
                };
                403: {
                    headers: { [name: string]: unknown };
                    content: {
                        "application/json": {
                            error: string;
                            message?: string;
                            details?: {
                                path: string;
                                message: string;
                            }[];
                        };
                    };
                };
                404: {
                    headers: { [name: string]: unknown };
                    content: {
                        "application/json": {
                            error: string;
                            message?: string;
                            details?: {
                                path: string;
                                message: string;
                            }[];
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
    "/api/calls/{callSid}/deliveries": {
        parameters: { query?: never; header?: never; path?: never; cookie?: never };
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    callSid: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                200: {
                    headers: { [name: string]: unknown };
                    content: {
                        "application/json": {
                            id: number;
                            action: string;
                            status: string;
                            attempts: number;
                            maxAttempts: number;
                            nextAttemptAt: string | null;
                            lastError: string | null;
                            intakeId: number | null;
                            callSid: string | null;
                            createdAt: string | null;
                            deliveredAt: string | null;
                        }[];
                    };
                };
                400: {
                    headers: { [name: string]: unknown };
                    content: {
                        "application/json": {
                            error: string;
                            message?: string;
                            details?: {
                                path: string;
                                message: string;
                            }[];
                        };
                    };
                };
                401: {
                    headers: { [name: string]: unknown };
                    content: {
                        "application/json": {
                            error: string;
                            message?: string;
                            details?: {
                                path: string;
                                message: string;
                            }[];
                        };
                    };
                };
                403: {
                    headers: { [name: string]: unknown };
                    content: {
                        "application/json": {
                            error: string;
                            message?: string;
                            details?: {
                                path: string;
                                message: string;
                            }[];
                        };
                    };
                };
                404: {
                    headers: { [name: string]: unknown };
                    content: {
                        "application/json": {
                            error: string;
                            message?: string;
                            details?: {
                                path: string;
                                message: string;
                            }[];
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
    "/api/calls/{callSid}/recording": {
        parameters: { query?: never; header?: never; path?: never; cookie?: never };
        get: {
            parameters: {
                query?: {
                    format?: "mp3" | "wav";
                };
                header?: never;
                path: {
                    callSid: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                400: {
                    headers: { [name: string]: unknown };
                    content: {
                        "application/json": {
                            error: string;
                            message?: string;
                            details?: {
                                path: string;
                                message: string;
                            }[];
                        };
                    };
                };
                401: {
                    headers: { [name: string]: unknown };
                    content: {
                        "application/json": {
                            error: string;
                            message?: string;
                            details?: {
                                path: string;
                                message: string;
                            }[];
                        };
                    };
                };
                403: {
                    headers: { [name: string]: unknown };
                    content: {
                        "application/json": {
                            error: string;
                            message?: string;
                            details?: {
                                path: string;
                                message: string;
                            }[];
                        };
                    };
                };
                404: {
                    headers: { [name: string]: unknown };
                    content: {
                        "application/json": {
                            error: string;
                            message?: string;
                            details?: {
                                path: string;
                                message: string;
                            }[];
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
    "/api/events": {
        parameters: { query?: never; header?: never; path?: never; cookie?: never };
        get: {
            parameters: {
                query?: {
                    ticket?: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                400: {
                    headers: { [name: string]: unknown };
                    content: {
                        "application/json": {
                            error: string;
                            message?: string;
                            details?: {
                                path: string;
                                message: string;
                            }[];
                        };
                    };
                };
                401: {
                    headers: { [name: string]: unknown };
                    content: {
                        "application/json": {
                            error: string;
                            message?: string;
                            details?: {
                                path: string;
                                message: string;
                            }[];
                        };
                    };
                };
                403: {
                    headers: { [name: string]: unknown };
                    content: {
                        "application/json": {
                            error: string;
                            message?: string;
                            details?: {
                                path: string;
                                message: string;
                            }[];
                        };
                    };
                };
                404: {
                    headers: { [name: string]: unknown };
                    content: {
                        "application/json": {
                            error: string;
                            message?: string;
                            details?: {
                                path: string;
                                message: string;
                            }[];
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
    "/api/events/ticket": {
        parameters: { query?: never; header?: never; path?: never; cookie?: never };
        get?: never;
        put?: never;
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                200: {
                    headers: { [name: string]: unknown };
                    content: {
                        "application/json": {
                            ticket: string;
                            expiresIn: number;
                        };
                    };
                };
                400: {
                    headers: { [name: string]: unknown };
                    content: {
                        "application/json": {
                            error: string;
                            message?: string;
                            details?: {
                                path: string;
                                message: string;
                            }[];
                        };
                    };
                };
                401: {
                    headers: { [name: string]: unknown };
                    content: {
                        "application/json": {
                            error: string;
                            message?: string;
                            details?: {
                                path: string;
                                message: string;
                            }[];
                        };
                    };
                };
                403: {
                    headers: { [name: string]: unknown };
                    content: {
                        "application/json": {
                            error: string;
                            message?: string;
                            details?: {
                                path: string;
                                message: string;
                            }[];
                        };
                    };
                };
                404: {
                    headers: { [name: string]: unknown };
                    content: {
                        "application/json": {
                            error: string;
                            message?: string;
                            details?: {
                                path: string;
                                message: string;
                            }[];
                        };
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
    "/api/firm": {
        parameters: { query?: never; header?: never; path?: never; cookie?: never };
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                200: {
                    headers: { [name: string]: unknown };
                    content: {
                        "application/json": {
                            name: string;
                            timezone: string;
                            main_number: string | null;
                            on_call: string[];
                            consultation_fee: number | null;
                            address: string | null;
                            business_hours: {
                                days: ("mon" | "tue" | "wed" | "thu" | "fri" | "sat" | "sun")[];
                                open: string;
                                close: string;
                            } | null;
                            holidays: string[];
                            default_region: string | null;
                        };
                    };
                };
                400: {
                    headers: { [name: string]: unknown };
                    content: {
                        "application/json": {
                            error: string;
                            message?: string;
                            details?: {
                                path: string;
                                message: string;
                            }[];
                        };
                    };
                };
                401: {
                    headers: { [name: string]: unknown };
                    content: {
                        "application/json": {
                            error: string;
                            message?: string;
                            details?: {
                                path: string;
                                message: string;
                            }[];
                        };
                    };
                };
                403: {
                    headers: { [name: string]: unknown };
                    content: {
                        "application/json": {
                            error: string;
                            message?: string;
                            details?: {
                                path: string;
                                message: string;
                            }[];
                        };
                    };
                };
                404: {
                    headers: { [name: string]: unknown };
                    content: {
                        "application/json": {
                            error: string;
                            message?: string;
                            details?: {
                                path: string;
                                message: string;
                            }[];
                        };
                    };
                };
            };
        };
        put: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        name?: string;
                        timezone?: string;
                        main_number?: string;
                        on_call?: string[];
                        consultation_fee?: number;
                        address?: string;
                        business_hours?: {
                            days: ("mon" | "tue" | "wed" | "thu" | "fri" | "sat" | "sun")[];
                            open: string;
                            close: string;
                        } | string;
                        holidays?: string[];
                        default_region?: string;
                    };
                };
            };
            responses: {
                200: {
                    headers: { [name: string]: unknown };
                    content: {
                        "application/json": {
                            name: string;
                            timezone: string;
                            main_number: string | null;
                            on_call: string[];
                            consultation_fee: number | null;
                            address: string | null;
                            business_hours: {
                                days: ("mon" | "tue" | "wed" | "thu" | "fri" | "sat" | "sun")[];
                                open: string;
                                close: string;
                            } | null;
                            holidays: string[];
                            default_region: string | null;
                        };
                    };
                };
                400: {
                    headers: { [name: string]: unknown };
                    content: {
                        "application/json": {
                            error: string;
                            message?: string;
                            details?: {
                                path: string;
                                message: string;
                            }[];
                        };
                    };
                };
                401: {
                    headers: { [name: string]: unknown };
                    content: {
                        "application/json": {
                            error: string;
                            message?: string;
                            details?: {
                                path: string;
                                message: string;
                            }[];
                        };
                    };
                };
                403: {
                    headers: { [name: string]: unknown };
                    content: {
                        "application/json": {
                            error: string;
                            message?: string;
                            details?: {
                                path: string;
                                message: string;
                            }[];
                        };
                    };
                };
                404: {
                    headers: { [name: string]: unknown };
                    content: {
                        "application/json": {
                            error: string;
                            message?: string;
                            details?: {
                                path: string;
                                message: string;
                            }[];
                        };
                    };
                };
            };
        };
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/flows": {
        parameters: { query?: never; header?: never; path?: never; cookie?: never };
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                200: {
                    headers: { [name: string]: unknown };
                    content: {
                        "application/json": {
                            flowId: string;
                            version: string;
                            active: boolean;
                            createdBy: number | null;
                            createdAt: string | null;
                        }[];
                    };
                };
                400: {
                    headers: { [name: string]: unknown };
                    content: {
                        "application/json": {
                            error: string;
                            message?: string;
                            details?: {
                                path: string;
                                message: string;
                            }[];
                        };
                    };
                };
                401: {
                    headers: { [name: string]: unknown };
                    content: {
                        "application/json": {
                            error: string;
                            message?: string;
                            details?: {
                                path: string;
                                message: string;
                            }[];
                        };
                    };
                };
                403: {
                    headers: { [name: string]: unknown };
                    content: {
                        "application/json": {
                            error: string;
                            message?: string;
                            details?: {
                                path: string;
                                message: string;
                            }[];
                        };
                    };
                };
                404: {
                    headers: { [name: string]: unknown };
                    content: {
                        "application/json": {
                            error: string;
                            message?: string;
                            details?: {
                                path: string;
                                message: string;
                            }[];
                        };
                    };
                };
            };
        };
        put?: never;
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        yaml: string;
                        fileName?: string;
                        activate?: boolean;
                    };
                };
            };
            responses: {
                200: {
                    headers: { [name: string]: unknown };
                    content: {
                        "application/json": {
                            flowId: string;
                            version: string;
                            active: boolean;
                            createdBy: number | null;
                            createdAt: string | null;
                        };
                    };
                };
                201: {
                    headers: { [name: string]: unknown };
                    content: {
                        "application/json": {
                            flowId: string;
                            version: string;
                            active: boolean;
                            createdBy: number | null;
                            createdAt: string | null;
                        };
                    };
                };
                400: {
                    headers: { [name: string]: unknown };
                    content: {
                        "application/json": {
                            error: string;
                            message?: string;
                            details?: {
                                path: string;
                                message: string;
                            }[];
                        };
                    };
                };
                401: {
                    headers: { [name: string]: unknown };
                    content: {
                        "application/json": {
                            error: string;
                            message?: string;
                            details?: {
                                path: string;
                                message: string;
                            }[];
                        };
                    };
                };
                403: {
                    headers: { [name: string]: unknown };
                    content: {
                        "application/json": {
                            error: string;
                            message?: string;
                            details?: {
                                path: string;
                                message: string;
                            }[];
                        };
                    };
                };
                404: {
                    headers: { [name: string]: unknown };
                    content: {
                        "application/json": {
                            error: string;
                            message?: string;
                            details?: {
                                path: string;
                                message: string;
                            }[];
                        };
                    };
                };
                409: {
                    headers: { [name: string]: unknown };
                    content: {
                        "application/json": {
                            error: string;
                            message?: string;
                            details?: {
                                path: string;
                                message: string;
                            }[];
                        };
                    };
                };
                422: {
                    headers: { [name: string]: unknown };
                    content: {
                        "application/json": {
                            error: string;
                            message?: string;
                            details?: {
                                path: string;
                                message: string;
                            }[];
                            problems: {
                                file: string;
                                line: number;
                                col: number;
                                message: string;
                            }[];
                        };
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
    "/api/flows/{flowId}/versions": {
        parameters: { query?: never; header?: never; path?: never; cookie?: never };
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    flowId: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                200: {
                    headers: { [name: string]: unknown };
                    content: {
                        "application/json": {
                            flowId: string;
                            version: string;
                            active: boolean;
                            createdBy: number | null;
                            createdAt: string | null;
                        }[];
                    };
                };
                400: {
                    headers: { [name: string]: unknown };
                    content: {
                        "application/json": {
                            error: string;
                            message?: string;
                            details?: {
                                path: string;
                                message: string;
                            }[];
                        };
                    };
                };
                401: {
                    headers: { [name: string]: unknown };
                    content: {
                        "application/json": {
                            error: string;
                            message?: string;
                            details?: {
                                path: string;
                                message: string;
                            }[];
                        };
                    };
                };
                403: {
                    headers: { [name: string]: unknown };
                    content: {
                        "application/json": {
                            error: string;
                            message?: string;
                            details?: {
                                path: string;
                                message: string;
                            }[];
                        };
                    };
                };
                404: {
                    headers: { [name: string]: unknown };
                    content: {
                        "application/json": {
                            error: string;
                            message?: string;
                            details?: {
                                path: string;
                                message: string;
                            }[];
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
    "/api/flows/{flowId}/versions/{version}": {
        parameters: { query?: never; header?: never; path?: never; cookie?: never };
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    flowId: string;
                    version: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                200: {
                    headers: { [name: string]: unknown };
                    content: {
                        "application/json": {
                            flowId: string;
                            version: string;
                            active: boolean;
                            createdBy: number | null;
                            createdAt: string | null;
                            yaml: string;
                        };
                    };
                };
                400: {
                    headers: { [name: string]: unknown };
                    content: {
                        "application/json": {
                            error: string;
                            message?: string;
                            details?: {
                                path: string;
                                message: string;
                            }[];
                        };
                    };
                };
                401: {
                    headers: { [name: string]: unknown };
                    content: {
                        "application/json": {
                            error: string;
                            message?: string;
                            details?: {
                                path: string;
                                message: string;
                            }[];
                        };
                    };
                };
                403: {
                    headers: { [name: string]: unknown };
                    content: {
                        "application/json": {
                            error: string;
                            message?: string;
                            details?: {
                                path: string;
                                message: string;
                            }[];
                        };
                    };
                };
                404: {
                    headers: { [name: string]: unknown };
                    content: {
                        "application/json": {
                            error: string;
                            message?: string;
                            details?: {
                                path: string;
                                message: string;
                            }[];
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
    "/api/flows/{flowId}/versions/{version}/activate": {
        parameters: { query?: never; header?: never; path?: never; cookie?: never };
        get?: never;
        put?: never;
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    flowId: string;
                    version: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                200: {
                    headers: { [name: string]: unknown };
                    content: {
                        "application/json": {
                            flowId: string;
                            version: string;
                            active: boolean;
                            createdBy: number | null;
                            createdAt: string | null;
                        };
                    };
                };
                400: {
                    headers: { [name: string]: unknown };
                    content: {
                        "application/json": {
                            error: string;
                            message?: string;
                            details?: {
                                path: string;
                                message: string;
                            }[];
                        };
                    };
                };
                401: {
                    headers: { [name: string]: unknown };
                    content: {
                        "application/json": {
                            error: string;
                            message?: string;
                            details?: {
                                path: string;
                                message: string;
                            }[];
                        };
                    };
                };
                403: {
                    headers: { [name: string]: unknown };
                    content: {
                        "application/json": {
                            error: string;
                            message?: string;
                            details?: {
                                path: string;
                                message: string;
                            }[];
                        };
                    };
                };
                404: {
                    headers: { [name: string]: unknown };
                    content: {
                        "application/json": {
                            error: string;
                            message?: string;
                            details?: {
                                path: string;
                                message: string;
                            }[];
                        };
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
    "/api/flows/{flowId}/versions/{version}/graph": {
        parameters: { query?: never; header?: never; path?: never; cookie?: never };
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    flowId: string;
                    version: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                200: {
                    headers: { [name: string]: unknown };
                    content: {
                        "application/json": {
                            flowId: string;
                            version: string;
                            svg: string;
                        };
                    };
                };
                400: {
                    headers: { [name: string]: unknown };
                    content: {
                        "application/json": {
                            error: string;
                            message?: string;
                            details?: {
                                path: string;
                                message: string;
                            }[];
                        };
                    };
                };
                401: {
                    headers: { [name: string]: unknown };
                    content: {
                        "application/json": {
                            error: string;
                            message?: string;
                            details?: {
                                path: string;
                                message: string;
                            }[];
                        };
                    };
                };
                403: {
                    headers: { [name: string]: unknown };
                    content: {
                        "application/json": {
                            error: string;
                            message?: string;
                            details?: {
                                path: string;
                                message: string;
                            }[];
                        };
                    };
                };
                404: {
                    headers: { [name: string]: unknown };
                    content: {
                        "application/json": {
                            error: string;
                            message?: string;
                            details?: {
                                path: string;
                                message: string;
                            }[];
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
    "/api/inbox": {
        parameters: { query?: never; header?: never; path?: never; cookie?: never };
        get: {
            parameters: {
                query?: {
                    view?: "open" | "all";
                    limit?: number;
                    offset?: number;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                200: {
                    headers: { [name: string]: unknown };
                    content: {
                        "application/json": {
                            items: {
                                callSid: string;
                                intakeId: number | null;
                                from: string;
                                callStatus: string;
                                outcome: string | null;
                                startedAt: string | null;
                                callerName: string | null;
                                callbackPhone: string | null;
                                practiceArea: string | null;
                                isEmergency: boolean;
                                solRisk: boolean;
                                courtDate: string | null;
                                intakeStatus: string | null;
                                reviewStatus: ("new" | "called_back" | "consultation_booked" | "declined" | "not_a_fit") | (null | null);
                                reviewedBy: {
                                    id: number;
                                    email: string;
                                } | null;
                                reviewedAt: string | null;
                                allowedMoves: ("new" | "called_back" | "consultation_booked" | "declined" | "not_a_fit")[];
                            }[];
                            total: number;
                            limit: number;
                            offset: number;
                        };
                    };
                };
                400: {
                    headers: { [name: string]: unknown };
                    content: {
                        "application/json": {
                            error: string;
                            message?: string;
                            details?: {
                                path: string;
                                message: string;
                            }[];
                        };
                    };
                };
                401: {
                    headers: { [name: string]: unknown };
                    content: {
                        "application/json": {
                            error: string;
                            message?: string;
                            details?: {
                                path: string;
                                message: string;
                            }[];
                        };
                    };
                };
                403: {
                    headers: { [name: string]: unknown };
                    content: {
                        "application/json": {
                            error: string;
                            message?: string;
                            details?: {
                                path: string;
                                message: string;
                            }[];
                        };
                    };
                };
                404: {
                    headers: { [name: string]: unknown };
                    content: {
                        "application/json": {
                            error: string;
                            message?: string;
                            details?: {
                                path: string;
                                message: string;
                            }[];
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
    "/api/intakes": {
        parameters: { query?: never; header?: never; path?: never; cookie?: never };
        get: {
            parameters: {
                query?: {
                    status?: "partial" | "complete" | "abandoned" | "conflict" | "transferred";
                    from?: string;
                    to?: string;
                    emergency?: boolean;
                    limit?: number;
                    offset?: number;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                200: {
                    headers: { [name: string]: unknown };
                    content: {
                        "application/json": {
                            items: {
                                id: number;
                                callSid: string;
                                flowId: string;
                                status: string;
                                callerName: string | null;
                                callbackPhone: string | null;
                                email: string | null;
                                practiceArea: string | null;
                                incidentDate: string | null;
                                isEmergency: boolean | null;
                                solRisk: boolean | null;
                                paymentStatus: string | null;
                                createdAt: string | null;
                                updatedAt: string | null;
                            }[];
                            total: number;
                            limit: number;
                            offset: number;
                        };
                    };
                };
                400: {
                    headers: { [name: string]: unknown };
                    content: {
                        "application/json": {
                            error: string;
                            message?: string;
                            details?: {
                                path: string;
                                message: string;
                            }[];
                        };
                    };
                };
                401: {
                    headers: { [name: string]: unknown };
                    content: {
                        "application/json": {
                            error: string;
                            message?: string;
                            details?: {
                                path: string;
                                message: string;
                            }[];
                        };
                    };
                };
                403: {
                    headers: { [name: string]: unknown };
                    content: {
                        "application/json": {
                            error: string;
                            message?: string;
                            details?: {
                                path: string;
                                message: string;
                            }[];
                        };
                    };
                };
                404: {
                    headers: { [name: string]: unknown };
                    content: {
                        "application/json": {
                            error: string;
                            message?: string;
                            details?: {
                                path: string;
                                message: string;
                            }[];
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
    "/api/intakes/{id}": {
        parameters: { query?: never; header?: never; path?: never; cookie?: never };
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: number;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                200: {
                    headers: { [name: string]: unknown };
                    content: {
                        "application/json": {
                            id: number;
                            callSid: string;
                            flowId: string;
                            status: string;
                            callerName: string | null;
                            callbackPhone: string | null;
                            email: string | null;
                            practiceArea: string | null;
                            incidentDate: string | null;
                            isEmergency: boolean | null;
                            solRisk: boolean | null;
                            paymentStatus: string | null;
                            createdAt: string | null;
                            updatedAt: string | null;
                            slots: {
                                [key: string]: Record<string, never>;
                            };
                            confirmedSlots: string[];
                            readBackSlots: string[];
                            parties: {
                                [key: string]: {
                                    name: string;
                                    relationship?: string;
                                    phrase: string;
                                }[];
                            };
                        };
                    };
                };
                400: {
                    headers: { [name: string]: unknown };
                    content: {
                        "application/json": {
                            error: string;
                            message?: string;
                            details?: {
                                path: string;
                                message: string;
                            }[];
                        };
                    };
                };
                401: {
                    headers: { [name: string]: unknown };
                    content: {
                        "application/json": {
                            error: string;
                            message?: string;
                            details?: {
                                path: string;
                                message: string;
                            }[];
                        };
                    };
                };
                403: {
                    headers: { [name: string]: unknown };
                    content: {
                        "application/json": {
                            error: string;
                            message?: string;
                            details?: {
                                path: string;
                                message: string;
                            }[];
                        };
                    };
                };
                404: {
                    headers: { [name: string]: unknown };
                    content: {
                        "application/json": {
                            error: string;
                            message?: string;
                            details?: {
                                path: string;
                                message: string;
                            }[];
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
        patch: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: number;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        status: "partial" | "complete" | "abandoned" | "conflict" | "transferred";
                    };
                };
            };
            responses: {
                200: {
                    headers: { [name: string]: unknown };
                    content: {
                        "application/json": {
                            id: number;
                            callSid: string;
                            flowId: string;
                            status: string;
                            callerName: string | null;
                            callbackPhone: string | null;
                            email: string | null;
                            practiceArea: string | null;
                            incidentDate: string | null;
                            isEmergency: boolean | null;
                            solRisk: boolean | null;
                            paymentStatus: string | null;
                            createdAt: string | null;
                            updatedAt: string | null;
                        };
                    };
                };
                400: {
                    headers: { [name: string]: unknown };
                    content: {
                        "application/json": {
                            error: string;
                            message?: string;
                            details?: {
                                path: string;
                                message: string;
                            }[];
                        };
                    };
                };
                401: {
                    headers: { [name: string]: unknown };
                    content: {
                        "application/json": {
                            error: string;
                            message?: string;
                            details?: {
                                path: string;
                                message: string;
                            }[];
                        };
                    };
                };
                403: {
                    headers: { [name: string]: unknown };
                    content: {
                        "application/json": {
                            error: string;
                            message?: string;
                            details?: {
                                path: string;
                                message: string;
                            }[];
                        };
                    };
                };
                404: {
                    headers: { [name: string]: unknown };
                    content: {
                        "application/json": {
                            error: string;
                            message?: string;
                            details?: {
                                path: string;
                                message: string;
                            }[];
                        };
                    };
                };
            };
        };
        trace?: never;
    };
    "/api/intakes/{id}/review": {
        parameters: { query?: never; header?: never; path?: never; cookie?: never };
        get?: never;
        put: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: number;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        status: "new" | "called_back" | "consultation_booked" | "declined" | "not_a_fit";
                        note?: string;
                    };
                };
            };
            responses: {
                200: {
                    headers: { [name: string]: unknown };
                    content: {
                        "application/json": {
                            intakeId: number;
                            reviewStatus: "new" | "called_back" | "consultation_booked" | "declined" | "not_a_fit";
                            allowedMoves: ("new" | "called_back" | "consultation_booked" | "declined" | "not_a_fit")[];
                            history: {
                                from: "new" | "called_back" | "consultation_booked" | "declined" | "not_a_fit";
                                to: "new" | "called_back" | "consultation_booked" | "declined" | "not_a_fit";
                                by: {
                                    id: number;
                                    email: string;
                                } | null;
                                at: string;
                                note: string | null;
                            }[];
                        };
                    };
                };
                400: {
                    headers: { [name: string]: unknown };
                    content: {
                        "application/json": {
                            error: string;
                            message?: string;
                            details?: {
                                path: string;
                                message: string;
                            }[];
                        };
                    };
                };
                401: {
                    headers: { [name: string]: unknown };
                    content: {
                        "application/json": {
                            error: string;
                            message?: string;
                            details?: {
                                path: string;
                                message: string;
                            }[];
                        };
                    };
                };
                403: {
                    headers: { [name: string]: unknown };
                    content: {
                        "application/json": {
                            error: string;
                            message?: string;
                            details?: {
                                path: string;
                                message: string;
                            }[];
                        };
                    };
                };
                404: {
                    headers: { [name: string]: unknown };
                    content: {
                        "application/json": {
                            error: string;
                            message?: string;
                            details?: {
                                path: string;
                                message: string;
                            }[];
                        };
                    };
                };
                409: {
                    headers: { [name: string]: unknown };
                    content: {
                        "application/json": {
                            error: string;
                            message?: string;
                            details?: {
                                path: string;
                                message: string;
                            }[];
                        };
                    };
                };
            };
        };
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/intakes/{id}/reviews": {
        parameters: { query?: never; header?: never; path?: never; cookie?: never };
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: number;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                200: {
                    headers: { [name: string]: unknown };
                    content: {
                        "application/json": {
                            intakeId: number;
                            reviewStatus: "new" | "called_back" | "consultation_booked" | "declined" | "not_a_fit";
                            allowedMoves: ("new" | "called_back" | "consultation_booked" | "declined" | "not_a_fit")[];
                            history: {
                                from: "new" | "called_back" | "consultation_booked" | "declined" | "not_a_fit";
                                to: "new" | "called_back" | "consultation_booked" | "declined" | "not_a_fit";
                                by: {
                                    id: number;
                                    email: string;
                                } | null;
                                at: string;
                                note: string | null;
                            }[];
                        };
                    };
                };
                400: {
                    headers: { [name: string]: unknown };
                    content: {
                        "application/json": {
                            error: string;
                            message?: string;
                            details?: {
                                path: string;
                                message: string;
                            }[];
                        };
                    };
                };
                401: {
                    headers: { [name: string]: unknown };
                    content: {
                        "application/json": {
                            error: string;
                            message?: string;
                            details?: {
                                path: string;
                                message: string;
                            }[];
                        };
                    };
                };
                403: {
                    headers: { [name: string]: unknown };
                    content: {
                        "application/json": {
                            error: string;
                            message?: string;
                            details?: {
                                path: string;
                                message: string;
                            }[];
                        };
                    };
                };
                404: {
                    headers: { [name: string]: unknown };
                    content: {
                        "application/json": {
                            error: string;
                            message?: string;
                            details?: {
                                path: string;
                                message: string;
                            }[];
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
    "/api/integrations": {
        parameters: { query?: never; header?: never; path?: never; cookie?: never };
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                200: {
                    headers: { [name: string]: unknown };
                    content: {
                        "application/json": {
                            provider: string;
                            connected: boolean;
                            expiresAt: string | null;
                            updatedAt: string | null;
                            meta: {
                                [key: string]: Record<string, never>;
                            };
                        }[];
                    };
                };
                400: {
                    headers: { [name: string]: unknown };
                    content: {
                        "application/json": {
                            error: string;
                            message?: string;
                            details?: {
                                path: string;
                                message: string;
                            }[];
                        };
                    };
                };
                401: {
                    headers: { [name: string]: unknown };
                    content: {
                        "application/json": {
                            error: string;
                            message?: string;
                            details?: {
                                path: string;
                                message: string;
                            }[];
                        };
                    };
                };
                403: {
                    headers: { [name: string]: unknown };
                    content: {
                        "application/json": {
                            error: string;
                            message?: string;
                            details?: {
                                path: string;
                                message: string;
                            }[];
                        };
                    };
                };
                404: {
                    headers: { [name: string]: unknown };
                    content: {
                        "application/json": {
                            error: string;
                            message?: string;
                            details?: {
                                path: string;
                                message: string;
                            }[];
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
    "/api/integrations/{provider}": {
        parameters: { query?: never; header?: never; path?: never; cookie?: never };
        get?: never;
        put?: never;
        post?: never;
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    provider: "clio" | "clio_grow" | "lawpay" | "zapier";
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                204: {
                    headers: { [name: string]: unknown };
                    content?: never;
                };
                400: {
                    headers: { [name: string]: unknown };
                    content: {
                        "application/json": {
                            error: string;
                            message?: string;
                            details?: {
                                path: string;
                                message: string;
                            }[];
                        };
                    };
                };
                401: {
                    headers: { [name: string]: unknown };
                    content: {
                        "application/json": {
                            error: string;
                            message?: string;
                            details?: {
                                path: string;
                                message: string;
                            }[];
                        };
                    };
                };
                403: {
                    headers: { [name: string]: unknown };
                    content: {
                        "application/json": {
                            error: string;
                            message?: string;
                            details?: {
                                path: string;
                                message: string;
                            }[];
                        };
                    };
                };
                404: {
                    headers: { [name: string]: unknown };
                    content: {
                        "application/json": {
                            error: string;
                            message?: string;
                            details?: {
                                path: string;
                                message: string;
                            }[];
                        };
                    };
                };
            };
        };
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/integrations/clio-grow": {
        parameters: { query?: never; header?: never; path?: never; cookie?: never };
        get?: never;
        put: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        inboxLeadToken: string;
                        target?: boolean;
                    };
                };
            };
            responses: {
                200: {
                    headers: { [name: string]: unknown };
                    content: {
                        "application/json": {
                            provider: string;
                            connected: boolean;
                        };
                    };
                };
                400: {
                    headers: { [name: string]: unknown };
                    content: {
                        "application/json": {
                            error: string;
                            message?: string;
                            details?: {
                                path: string;
                                message: string;
                            }[];
                        };
                    };
                };
                401: {
                    headers: { [name: string]: unknown };
                    content: {
                        "application/json": {
                            error: string;
                            message?: string;
                            details?: {
                                path: string;
                                message: string;
                            }[];
                        };
                    };
                };
                403: {
                    headers: { [name: string]: unknown };
                    content: {
                        "application/json": {
                            error: string;
                            message?: string;
                            details?: {
                                path: string;
                                message: string;
                            }[];
                        };
                    };
                };
                404: {
                    headers: { [name: string]: unknown };
                    content: {
                        "application/json": {
                            error: string;
                            message?: string;
                            details?: {
                                path: string;
                                message: string;
                            }[];
                        };
                    };
                };
                409: {
                    headers: { [name: string]: unknown };
                    content: {
                        "application/json": {
                            error: string;
                            message?: string;
                            details?: {
                                path: string;
                                message: string;
                            }[];
                        };
                    };
                };
            };
        };
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/integrations/clio/connect": {
        parameters: { query?: never; header?: never; path?: never; cookie?: never };
        get?: never;
        put?: never;
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                200: {
                    headers: { [name: string]: unknown };
                    content: {
                        "application/json": {
                            url: string;
                            state: string;
                            expiresAt: string;
                        };
                    };
                };
                400: {
                    headers: { [name: string]: unknown };
                    content: {
                        "application/json": {
                            error: string;
                            message?: string;
                            details?: {
                                path: string;
                                message: string;
                            }[];
                        };
                    };
                };
                401: {
                    headers: { [name: string]: unknown };
                    content: {
                        "application/json": {
                            error: string;
                            message?: string;
                            details?: {
                                path: string;
                                message: string;
                            }[];
                        };
                    };
                };
                403: {
                    headers: { [name: string]: unknown };
                    content: {
                        "application/json": {
                            error: string;
                            message?: string;
                            details?: {
                                path: string;
                                message: string;
                            }[];
                        };
                    };
                };
                404: {
                    headers: { [name: string]: unknown };
                    content: {
                        "application/json": {
                            error: string;
                            message?: string;
                            details?: {
                                path: string;
                                message: string;
                            }[];
                        };
                    };
                };
                409: {
                    headers: { [name: string]: unknown };
                    content: {
                        "application/json": {
                            error: string;
                            message?: string;
                            details?: {
                                path: string;
                                message: string;
                            }[];
                        };
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
    "/api/integrations/lawpay": {
        parameters: { query?: never; header?: never; path?: never; cookie?: never };
        get?: never;
        put: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        accountId?: string;
                        paymentUrlTemplate?: string;
                    };
                };
            };
            responses: {
                200: {
                    headers: { [name: string]: unknown };
                    content: {
                        "application/json": {
                            provider: string;
                            connected: boolean;
                        };
                    };
                };
                400: {
                    headers: { [name: string]: unknown };
                    content: {
                        "application/json": {
                            error: string;
                            message?: string;
                            details?: {
                                path: string;
                                message: string;
                            }[];
                        };
                    };
                };
                401: {
                    headers: { [name: string]: unknown };
                    content: {
                        "application/json": {
                            error: string;
                            message?: string;
                            details?: {
                                path: string;
                                message: string;
                            }[];
                        };
                    };
                };
                403: {
                    headers: { [name: string]: unknown };
                    content: {
                        "application/json": {
                            error: string;
                            message?: string;
                            details?: {
                                path: string;
                                message: string;
                            }[];
                        };
                    };
                };
                404: {
                    headers: { [name: string]: unknown };
                    content: {
                        "application/json": {
                            error: string;
                            message?: string;
                            details?: {
                                path: string;
                                message: string;
                            }[];
                        };
                    };
                };
                409: {
                    headers: { [name: string]: unknown };
                    content: {
                        "application/json": {
                            error: string;
                            message?: string;
                            details?: {
                                path: string;
                                message: string;
                            }[];
                        };
                    };
                };
            };
        };
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/integrations/stripe": {
        parameters: { query?: never; header?: never; path?: never; cookie?: never };
        get?: never;
        put?: never;
        post?: never;
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                204: {
                    headers: { [name: string]: unknown };
                    content?: never;
                };
                400: {
                    headers: { [name: string]: unknown };
                    content: {
                        "application/json": {
                            error: string;
                            message?: string;
                            details?: {
                                path: string;
                                message: string;
                            }[];
                        };
                    };
                };
                401: {
                    headers: { [name: string]: unknown };
                    content: {
                        "application/json": {
                            error: string;
                            message?: string;
                            details?: {
                                path: string;
                                message: string;
                            }[];
                        };
                    };
                };
                403: {
                    headers: { [name: string]: unknown };
                    content: {
                        "application/json": {
                            error: string;
                            message?: string;
                            details?: {
                                path: string;
                                message: string;
                            }[];
                        };
                    };
                };
                404: {
                    headers: { [name: string]: unknown };
                    content: {
                        "application/json": {
                            error: string;
                            message?: string;
                            details?: {
                                path: string;
                                message: string;
                            }[];
                        };
                    };
                };
            };
        };
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/integrations/stripe/connect": {
        parameters: { query?: never; header?: never; path?: never; cookie?: never };
        get?: never;
        put?: never;
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        secretKey: string;
                        webhookSecret?: string;
                        operatingAccount: true;
                    };
                };
            };
            responses: {
                200: {
                    headers: { [name: string]: unknown };
                    content: {
                        "application/json": {
                            provider: "stripe";
                            accountId: string;
                            name: string | null;
                            livemode: boolean;
                            webhookUrl: string | null;
                            webhookConfigured: boolean;
                        };
                    };
                };
                400: {
                    headers: { [name: string]: unknown };
                    content: {
                        "application/json": {
                            error: string;
                            message?: string;
                            details?: {
                                path: string;
                                message: string;
                            }[];
                        };
                    };
                };
                401: {
                    headers: { [name: string]: unknown };
                    content: {
                        "application/json": {
                            error: string;
                            message?: string;
                            details?: {
                                path: string;
                                message: string;
                            }[];
                        };
                    };
                };
                403: {
                    headers: { [name: string]: unknown };
                    content: {
                        "application/json": {
                            error: string;
                            message?: string;
                            details?: {
                                path: string;
                                message: string;
                            }[];
                        };
                    };
                };
                404: {
                    headers: { [name: string]: unknown };
                    content: {
                        "application/json": {
                            error: string;
                            message?: string;
                            details?: {
                                path: string;
                                message: string;
                            }[];
                        };
                    };
                };
                409: {
                    headers: { [name: string]: unknown };
                    content: {
                        "application/json": {
                            error: string;
                            message?: string;
                            details?: {
                                path: string;
                                message: string;
                            }[];
                        };
                    };
                };
                502: {
                    headers: { [name: string]: unknown };
                    content: {
                        "application/json": {
                            error: string;
                            message?: string;
                            details?: {
                                path: string;
                                message: string;
                            }[];
                        };
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
    "/api/integrations/zapier": {
        parameters: { query?: never; header?: never; path?: never; cookie?: never };
        get?: never;
        put: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        hookUrl: string;
                    };
                };
            };
            responses: {
                200: {
                    headers: { [name: string]: unknown };
                    content: {
                        "application/json": {
                            provider: string;
                            connected: boolean;
                        };
                    };
                };
                400: {
                    headers: { [name: string]: unknown };
                    content: {
                        "application/json": {
                            error: string;
                            message?: string;
                            details?: {
                                path: string;
                                message: string;
                            }[];
                        };
                    };
                };
                401: {
                    headers: { [name: string]: unknown };
                    content: {
                        "application/json": {
                            error: string;
                            message?: string;
                            details?: {
                                path: string;
                                message: string;
                            }[];
                        };
                    };
                };
                403: {
                    headers: { [name: string]: unknown };
                    content: {
                        "application/json": {
                            error: string;
                            message?: string;
                            details?: {
                                path: string;
                                message: string;
                            }[];
                        };
                    };
                };
                404: {
                    headers: { [name: string]: unknown };
                    content: {
                        "application/json": {
                            error: string;
                            message?: string;
                            details?: {
                                path: string;
                                message: string;
                            }[];
                        };
                    };
                };
                409: {
                    headers: { [name: string]: unknown };
                    content: {
                        "application/json": {
                            error: string;
                            message?: string;
                            details?: {
                                path: string;
                                message: string;
                            }[];
                        };
                    };
                };
            };
        };
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/me": {
        parameters: { query?: never; header?: never; path?: never; cookie?: never };
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                200: {
                    headers: { [name: string]: unknown };
                    content: {
                        "application/json": {
                            user: {
                                id: number;
                                email: string;
                                role: "owner" | "attorney" | "staff" | "viewer";
                            };
                            tenant: {
                                id: number;
                                slug: string;
                                name: string;
                                timezone: string;
                            };
                            permissions: ("calls:read" | "intakes:read" | "intakes:write" | "flows:read" | "flows:write" | "integrations:manage" | "users:manage" | "firm:manage" | "analytics:read" | "billing:read")[];
                        };
                    };
                };
                400: {
                    headers: { [name: string]: unknown };
                    content: {
                        "application/json": {
                            error: string;
                            message?: string;
                            details?: {
                                path: string;
                                message: string;
                            }[];
                        };
                    };
                };
                401: {
                    headers: { [name: string]: unknown };
                    content: {
                        "application/json": {
                            error: string;
                            message?: string;
                            details?: {
                                path: string;
                                message: string;
                            }[];
                        };
                    };
                };
                403: {
                    headers: { [name: string]: unknown };
                    content: {
                        "application/json": {
                            error: string;
                            message?: string;
                            details?: {
                                path: string;
                                message: string;
                            }[];
                        };
                    };
                };
                404: {
                    headers: { [name: string]: unknown };
                    content: {
                        "application/json": {
                            error: string;
                            message?: string;
                            details?: {
                                path: string;
                                message: string;
                            }[];
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
    "/api/me/password": {
        parameters: { query?: never; header?: never; path?: never; cookie?: never };
        get?: never;
        put: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        currentPassword: string;
                        newPassword: string;
                    };
                };
            };
            responses: {
                204: {
                    headers: { [name: string]: unknown };
                    content?: never;
                };
                400: {
                    headers: { [name: string]: unknown };
                    content: {
                        "application/json": {
                            error: string;
                            message?: string;
                            details?: {
                                path: string;
                                message: string;
                            }[];
                        };
                    };
                };
                401: {
                    headers: { [name: string]: unknown };
                    content: {
                        "application/json": {
                            error: string;
                            message?: string;
                            details?: {
                                path: string;
                                message: string;
                            }[];
                        };
                    };
                };
                403: {
                    headers: { [name: string]: unknown };
                    content: {
                        "application/json": {
                            error: string;
                            message?: string;
                            details?: {
                                path: string;
                                message: string;
                            }[];
                        };
                    };
                };
                404: {
                    headers: { [name: string]: unknown };
                    content: {
                        "application/json": {
                            error: string;
                            message?: string;
                            details?: {
                                path: string;
                                message: string;
                            }[];
                        };
                    };
                };
            };
        };
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/messages": {
        parameters: { query?: never; header?: never; path?: never; cookie?: never };
        get: {
            parameters: {
                query?: {
                    status?: "new" | "handled";
                    limit?: number;
                    offset?: number;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                200: {
                    headers: { [name: string]: unknown };
                    content: {
                        "application/json": {
                            items: {
                                id: number;
                                intakeId: number | null;
                                callSid: string | null;
                                kind: "message" | "emergency" | "new_intake";
                                status: "new" | "handled";
                                afterHours: boolean;
                                existingClient: boolean;
                                callerName: string | null;
                                callbackPhone: string | null;
                                body: string;
                                recipients: {
                                    contactId: number;
                                    name: string;
                                    phone: string | null;
                                    email: string | null;
                                }[];
                                createdAt: string | null;
                                handledAt: string | null;
                                handledBy: number | null;
                            }[];
                            total: number;
                            limit: number;
                            offset: number;
                        };
                    };
                };
                400: {
                    headers: { [name: string]: unknown };
                    content: {
                        "application/json": {
                            error: string;
                            message?: string;
                            details?: {
                                path: string;
                                message: string;
                            }[];
                        };
                    };
                };
                401: {
                    headers: { [name: string]: unknown };
                    content: {
                        "application/json": {
                            error: string;
                            message?: string;
                            details?: {
                                path: string;
                                message: string;
                            }[];
                        };
                    };
                };
                403: {
                    headers: { [name: string]: unknown };
                    content: {
                        "application/json": {
                            error: string;
                            message?: string;
                            details?: {
                                path: string;
                                message: string;
                            }[];
                        };
                    };
                };
                404: {
                    headers: { [name: string]: unknown };
                    content: {
                        "application/json": {
                            error: string;
                            message?: string;
                            details?: {
                                path: string;
                                message: string;
                            }[];
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
    "/api/messages/{id}": {
        parameters: { query?: never; header?: never; path?: never; cookie?: never };
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: number;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                200: {
                    headers: { [name: string]: unknown };
                    content: {
                        "application/json": {
                            id: number;
                            intakeId: number | null;
                            callSid: string | null;
                            kind: "message" | "emergency" | "new_intake";
                            status: "new" | "handled";
                            afterHours: boolean;
                            existingClient: boolean;
                            callerName: string | null;
                            callbackPhone: string | null;
                            body: string;
                            recipients: {
                                contactId: number;
                                name: string;
                                phone: string | null;
                                email: string | null;
                            }[];
                            createdAt: string | null;
                            handledAt: string | null;
                            handledBy: number | null;
                        };
                    };
                };
                400: {
                    headers: { [name: string]: unknown };
                    content: {
                        "application/json": {
                            error: string;
                            message?: string;
                            details?: {
                                path: string;
                                message: string;
                            }[];
                        };
                    };
                };
                401: {
                    headers: { [name: string]: unknown };
                    content: {
                        "application/json": {
                            error: string;
                            message?: string;
                            details?: {
                                path: string;
                                message: string;
                            }[];
                        };
                    };
                };
                403: {
                    headers: { [name: string]: unknown };
                    content: {
                        "application/json": {
                            error: string;
                            message?: string;
                            details?: {
                                path: string;
                                message: string;
                            }[];
                        };
                    };
                };
                404: {
                    headers: { [name: string]: unknown };
                    content: {
                        "application/json": {
                            error: string;
                            message?: string;
                            details?: {
                                path: string;
                                message: string;
                            }[];
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
    "/api/messages/{id}/handled": {
        parameters: { query?: never; header?: never; path?: never; cookie?: never };
        get?: never;
        put: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: number;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                200: {
                    headers: { [name: string]: unknown };
                    content: {
                        "application/json": {
                            id: number;
                            intakeId: number | null;
                            callSid: string | null;
                            kind: "message" | "emergency" | "new_intake";
                            status: "new" | "handled";
                            afterHours: boolean;
                            existingClient: boolean;
                            callerName: string | null;
                            callbackPhone: string | null;
                            body: string;
                            recipients: {
                                contactId: number;
                                name: string;
                                phone: string | null;
                                email: string | null;
                            }[];
                            createdAt: string | null;
                            handledAt: string | null;
                            handledBy: number | null;
                        };
                    };
                };
                400: {
                    headers: { [name: string]: unknown };
                    content: {
                        "application/json": {
                            error: string;
                            message?: string;
                            details?: {
                                path: string;
                                message: string;
                            }[];
                        };
                    };
                };
                401: {
                    headers: { [name: string]: unknown };
                    content: {
                        "application/json": {
                            error: string;
                            message?: string;
                            details?: {
                                path: string;
                                message: string;
                            }[];
                        };
                    };
                };
                403: {
                    headers: { [name: string]: unknown };
                    content: {
                        "application/json": {
                            error: string;
                            message?: string;
                            details?: {
                                path: string;
                                message: string;
                            }[];
                        };
                    };
                };
                404: {
                    headers: { [name: string]: unknown };
                    content: {
                        "application/json": {
                            error: string;
                            message?: string;
                            details?: {
                                path: string;
                                message: string;
                            }[];
                        };
                    };
                };
            };
        };
        post?: never;
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: number;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                200: {
                    headers: { [name: string]: unknown };
                    content: {
                        "application/json": {
                            id: number;
                            intakeId: number | null;
                            callSid: string | null;
                            kind: "message" | "emergency" | "new_intake";
                            status: "new" | "handled";
                            afterHours: boolean;
                            existingClient: boolean;
                            callerName: string | null;
                            callbackPhone: string | null;
                            body: string;
                            recipients: {
                                contactId: number;
                                name: string;
                                phone: string | null;
                                email: string | null;
                            }[];
                            createdAt: string | null;
                            handledAt: string | null;
                            handledBy: number | null;
                        };
                    };
                };
                400: {
                    headers: { [name: string]: unknown };
                    content: {
                        "application/json": {
                            error: string;
                            message?: string;
                            details?: {
                                path: string;
                                message: string;
                            }[];
                        };
                    };
                };
                401: {
                    headers: { [name: string]: unknown };
                    content: {
                        "application/json": {
                            error: string;
                            message?: string;
                            details?: {
                                path: string;
                                message: string;
                            }[];
                        };
                    };
                };
                403: {
                    headers: { [name: string]: unknown };
                    content: {
                        "application/json": {
                            error: string;
                            message?: string;
                            details?: {
                                path: string;
                                message: string;
                            }[];
                        };
                    };
                };
                404: {
                    headers: { [name: string]: unknown };
                    content: {
                        "application/json": {
                            error: string;
                            message?: string;
                            details?: {
                                path: string;
                                message: string;
                            }[];
                        };
                    };
                };
            };
        };
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/numbers": {
        parameters: { query?: never; header?: never; path?: never; cookie?: never };
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                200: {
                    headers: { [name: string]: unknown };
                    content: {
                        "application/json": {
                            id: number;
                            e164: string;
                            flow: string;
                            flowVersion: string | null;
                            channel: ("media-streams" | "conversation-relay" | "gather") | (null | null);
                            createdAt: string | null;
                        }[];
                    };
                };
                400: {
                    headers: { [name: string]: unknown };
                    content: {
                        "application/json": {
                            error: string;
                            message?: string;
                            details?: {
                                path: string;
                                message: string;
                            }[];
                        };
                    };
                };
                401: {
                    headers: { [name: string]: unknown };
                    content: {
                        "application/json": {
                            error: string;
                            message?: string;
                            details?: {
                                path: string;
                                message: string;
                            }[];
                        };
                    };
                };
                403: {
                    headers: { [name: string]: unknown };
                    content: {
                        "application/json": {
                            error: string;
                            message?: string;
                            details?: {
                                path: string;
                                message: string;
                            }[];
                        };
                    };
                };
                404: {
                    headers: { [name: string]: unknown };
                    content: {
                        "application/json": {
                            error: string;
                            message?: string;
                            details?: {
                                path: string;
                                message: string;
                            }[];
                        };
                    };
                };
            };
        };
        put: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        number: string;
                        flow: string;
                        channel?: ("media-streams" | "conversation-relay" | "gather") | (null | null);
                    };
                };
            };
            responses: {
                200: {
                    headers: { [name: string]: unknown };
                    content: {
                        "application/json": {
                            id: number;
                            e164: string;
                            flow: string;
                            flowVersion: string | null;
                            channel: ("media-streams" | "conversation-relay" | "gather") | (null | null);
                            createdAt: string | null;
                        };
                    };
                };
                400: {
                    headers: { [name: string]: unknown };
                    content: {
                        "application/json": {
                            error: string;
                            message?: string;
                            details?: {
                                path: string;
                                message: string;
                            }[];
                        };
                    };
                };
                401: {
                    headers: { [name: string]: unknown };
                    content: {
                        "application/json": {
                            error: string;
                            message?: string;
                            details?: {
                                path: string;
                                message: string;
                            }[];
                        };
                    };
                };
                403: {
                    headers: { [name: string]: unknown };
                    content: {
                        "application/json": {
                            error: string;
                            message?: string;
                            details?: {
                                path: string;
                                message: string;
                            }[];
                        };
                    };
                };
                404: {
                    headers: { [name: string]: unknown };
                    content: {
                        "application/json": {
                            error: string;
                            message?: string;
                            details?: {
                                path: string;
                                message: string;
                            }[];
                        };
                    };
                };
                409: {
                    headers: { [name: string]: unknown };
                    content: {
                        "application/json": {
                            error: string;
                            message?: string;
                            details?: {
                                path: string;
                                message: string;
                            }[];
                        };
                    };
                };
            };
        };
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/numbers/{id}": {
        parameters: { query?: never; header?: never; path?: never; cookie?: never };
        get?: never;
        put?: never;
        post?: never;
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: number;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                204: {
                    headers: { [name: string]: unknown };
                    content?: never;
                };
                400: {
                    headers: { [name: string]: unknown };
                    content: {
                        "application/json": {
                            error: string;
                            message?: string;
                            details?: {
                                path: string;
                                message: string;
                            }[];
                        };
                    };
                };
                401: {
                    headers: { [name: string]: unknown };
                    content: {
                        "application/json": {
                            error: string;
                            message?: string;
                            details?: {
                                path: string;
                                message: string;
                            }[];
                        };
                    };
                };
                403: {
                    headers: { [name: string]: unknown };
                    content: {
                        "application/json": {
                            error: string;
                            message?: string;
                            details?: {
                                path: string;
                                message: string;
                            }[];
                        };
                    };
                };
                404: {
                    headers: { [name: string]: unknown };
                    content: {
                        "application/json": {
                            error: string;
                            message?: string;
                            details?: {
                                path: string;
                                message: string;
                            }[];
                        };
                    };
                };
            };
        };
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/on-call": {
        parameters: { query?: never; header?: never; path?: never; cookie?: never };
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                200: {
                    headers: { [name: string]: unknown };
                    content: {
                        "application/json": {
                            flowId: string;
                            version: string | null;
                            numbers: string[];
                            source: "firm" | "flow";
                            flowNumbers: string[];
                            flowFirm: {
                                [key: string]: Record<string, never>;
                            };
                        }[];
                    };
                };
                400: {
                    headers: { [name: string]: unknown };
                    content: {
                        "application/json": {
                            error: string;
                            message?: string;
                            details?: {
                                path: string;
                                message: string;
                            }[];
                        };
                    };
                };
                401: {
                    headers: { [name: string]: unknown };
                    content: {
                        "application/json": {
                            error: string;
                            message?: string;
                            details?: {
                                path: string;
                                message: string;
                            }[];
                        };
                    };
                };
                403: {
                    headers: { [name: string]: unknown };
                    content: {
                        "application/json": {
                            error: string;
                            message?: string;
                            details?: {
                                path: string;
                                message: string;
                            }[];
                        };
                    };
                };
                404: {
                    headers: { [name: string]: unknown };
                    content: {
                        "application/json": {
                            error: string;
                            message?: string;
                            details?: {
                                path: string;
                                message: string;
                            }[];
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
    "/api/outbox": {
        parameters: { query?: never; header?: never; path?: never; cookie?: never };
        get: {
            parameters: {
                query?: {
                    status?: "pending" | "in_flight" | "delivered" | "dead";
                    limit?: number;
                    offset?: number;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                200: {
                    headers: { [name: string]: unknown };
                    content: {
                        "application/json": {
                            items: {
                                id: number;
                                action: string;
                                status: string;
                                attempts: number;
                                maxAttempts: number;
                                nextAttemptAt: string | null;
                                lastError: string | null;
                                intakeId: number | null;
                                callSid: string | null;
                                createdAt: string | null;
                                deliveredAt: string | null;
                            }[];
                            total: number;
                            limit: number;
                            offset: number;
                        };
                    };
                };
                400: {
                    headers: { [name: string]: unknown };
                    content: {
                        "application/json": {
                            error: string;
                            message?: string;
                            details?: {
                                path: string;
                                message: string;
                            }[];
                        };
                    };
                };
                401: {
                    headers: { [name: string]: unknown };
                    content: {
                        "application/json": {
                            error: string;
                            message?: string;
                            details?: {
                                path: string;
                                message: string;
                            }[];
                        };
                    };
                };
                403: {
                    headers: { [name: string]: unknown };
                    content: {
                        "application/json": {
                            error: string;
                            message?: string;
                            details?: {
                                path: string;
                                message: string;
                            }[];
                        };
                    };
                };
                404: {
                    headers: { [name: string]: unknown };
                    content: {
                        "application/json": {
                            error: string;
                            message?: string;
                            details?: {
                                path: string;
                                message: string;
                            }[];
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
    "/api/outbox/{id}/retry": {
        parameters: { query?: never; header?: never; path?: never; cookie?: never };
        get?: never;
        put?: never;
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: number;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                200: {
                    headers: { [name: string]: unknown };
                    content: {
                        "application/json": {
                            id: number;
                            action: string;
                            status: string;
                            attempts: number;
                            maxAttempts: number;
                            nextAttemptAt: string | null;
                            lastError: string | null;
                            intakeId: number | null;
                            callSid: string | null;
                            createdAt: string | null;
                            deliveredAt: string | null;
                        };
                    };
                };
                400: {
                    headers: { [name: string]: unknown };
                    content: {
                        "application/json": {
                            error: string;
                            message?: string;
                            details?: {
                                path: string;
                                message: string;
                            }[];
                        };
                    };
                };
                401: {
                    headers: { [name: string]: unknown };
                    content: {
                        "application/json": {
                            error: string;
                            message?: string;
                            details?: {
                                path: string;
                                message: string;
                            }[];
                        };
                    };
                };
                403: {
                    headers: { [name: string]: unknown };
                    content: {
                        "application/json": {
                            error: string;
                            message?: string;
                            details?: {
                                path: string;
                                message: string;
                            }[];
                        };
                    };
                };
                404: {
                    headers: { [name: string]: unknown };
                    content: {
                        "application/json": {
                            error: string;
                            message?: string;
                            details?: {
                                path: string;
                                message: string;
                            }[];
                        };
                    };
                };
                409: {
                    headers: { [name: string]: unknown };
                    content: {
                        "application/json": {
                            error: string;
                            message?: string;
                            details?: {
                                path: string;
                                message: string;
                            }[];
                        };
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
    "/api/privacy/erase": {
        parameters: { query?: never; header?: never; path?: never; cookie?: never };
        get?: never;
        put?: never;
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        phone?: string;
                        intakeId?: number;
                    };
                };
            };
            responses: {
                200: {
                    headers: { [name: string]: unknown };
                    content: {
                        "application/json": {
                            calls: number;
                            turns: number;
                            intakes: number;
                            messages: number;
                            outbox: number;
                            recordings: number;
                        };
                    };
                };
                400: {
                    headers: { [name: string]: unknown };
                    content: {
                        "application/json": {
                            error: string;
                            message?: string;
                            details?: {
                                path: string;
                                message: string;
                            }[];
                        };
                    };
                };
                401: {
                    headers: { [name: string]: unknown };
                    content: {
                        "application/json": {
                            error: string;
                            message?: string;
                            details?: {
                                path: string;
                                message: string;
                            }[];
                        };
                    };
                };
                403: {
                    headers: { [name: string]: unknown };
                    content: {
                        "application/json": {
                            error: string;
                            message?: string;
                            details?: {
                                path: string;
                                message: string;
                            }[];
                        };
                    };
                };
                404: {
                    headers: { [name: string]: unknown };
                    content: {
                        "application/json": {
                            error: string;
                            message?: string;
                            details?: {
                                path: string;
                                message: string;
                            }[];
                        };
                    };
                };
                502: {
                    headers: { [name: string]: unknown };
                    content: {
                        "application/json": {
                            error: string;
                            message: string;
                        };
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
    "/api/privacy/settings": {
        parameters: { query?: never; header?: never; path?: never; cookie?: never };
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                200: {
                    headers: { [name: string]: unknown };
                    content: {
                        "application/json": {
                            recording: "off" | "on";
                            retentionDays: number | null;
                        };
                    };
                };
                400: {
                    headers: { [name: string]: unknown };
                    content: {
                        "application/json": {
                            error: string;
                            message?: string;
                            details?: {
                                path: string;
                                message: string;
                            }[];
                        };
                    };
                };
                401: {
                    headers: { [name: string]: unknown };
                    content: {
                        "application/json": {
                            error: string;
                            message?: string;
                            details?: {
                                path: string;
                                message: string;
                            }[];
                        };
                    };
                };
                403: {
                    headers: { [name: string]: unknown };
                    content: {
                        "application/json": {
                            error: string;
                            message?: string;
                            details?: {
                                path: string;
                                message: string;
                            }[];
                        };
                    };
                };
                404: {
                    headers: { [name: string]: unknown };
                    content: {
                        "application/json": {
                            error: string;
                            message?: string;
                            details?: {
                                path: string;
                                message: string;
                            }[];
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
        patch: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        recording?: "off" | "on";
                        retentionDays?: number | null;
                    };
                };
            };
            responses: {
                200: {
                    headers: { [name: string]: unknown };
                    content: {
                        "application/json": {
                            recording: "off" | "on";
                            retentionDays: number | null;
                        };
                    };
                };
                400: {
                    headers: { [name: string]: unknown };
                    content: {
                        "application/json": {
                            error: string;
                            message?: string;
                            details?: {
                                path: string;
                                message: string;
                            }[];
                        };
                    };
                };
                401: {
                    headers: { [name: string]: unknown };
                    content: {
                        "application/json": {
                            error: string;
                            message?: string;
                            details?: {
                                path: string;
                                message: string;
                            }[];
                        };
                    };
                };
                403: {
                    headers: { [name: string]: unknown };
                    content: {
                        "application/json": {
                            error: string;
                            message?: string;
                            details?: {
                                path: string;
                                message: string;
                            }[];
                        };
                    };
                };
                404: {
                    headers: { [name: string]: unknown };
                    content: {
                        "application/json": {
                            error: string;
                            message?: string;
                            details?: {
                                path: string;
                                message: string;
                            }[];
                        };
                    };
                };
            };
        };
        trace?: never;
    };
    "/api/staff-contacts": {
        parameters: { query?: never; header?: never; path?: never; cookie?: never };
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                200: {
                    headers: { [name: string]: unknown };
                    content: {
                        "application/json": {
                            id: number;
                            name: string;
                            phone: string | null;
                            email: string | null;
                            kinds: ("message" | "emergency" | "new_intake" | "after_hours")[];
                            createdAt: string | null;
                            updatedAt: string | null;
                        }[];
                    };
                };
                400: {
                    headers: { [name: string]: unknown };
                    content: {
                        "application/json": {
                            error: string;
                            message?: string;
                            details?: {
                                path: string;
                                message: string;
                            }[];
                        };
                    };
                };
                401: {
                    headers: { [name: string]: unknown };
                    content: {
                        "application/json": {
                            error: string;
                            message?: string;
                            details?: {
                                path: string;
                                message: string;
                            }[];
                        };
                    };
                };
                403: {
                    headers: { [name: string]: unknown };
                    content: {
                        "application/json": {
                            error: string;
                            message?: string;
                            details?: {
                                path: string;
                                message: string;
                            }[];
                        };
                    };
                };
                404: {
                    headers: { [name: string]: unknown };
                    content: {
                        "application/json": {
                            error: string;
                            message?: string;
                            details?: {
                                path: string;
                                message: string;
                            }[];
                        };
                    };
                };
            };
        };
        put?: never;
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        name: string;
                        phone?: string | null;
                        email?: string | null;
                        kinds: ("message" | "emergency" | "new_intake" | "after_hours")[];
                    };
                };
            };
            responses: {
                201: {
                    headers: { [name: string]: unknown };
                    content: {
                        "application/json": {
                            id: number;
                            name: string;
                            phone: string | null;
                            email: string | null;
                            kinds: ("message" | "emergency" | "new_intake" | "after_hours")[];
                            createdAt: string | null;
                            updatedAt: string | null;
                        };
                    };
                };
                400: {
                    headers: { [name: string]: unknown };
                    content: {
                        "application/json": {
                            error: string;
                            message?: string;
                            details?: {
                                path: string;
                                message: string;
                            }[];
                        };
                    };
                };
                401: {
                    headers: { [name: string]: unknown };
                    content: {
                        "application/json": {
                            error: string;
                            message?: string;
                            details?: {
                                path: string;
                                message: string;
                            }[];
                        };
                    };
                };
                403: {
                    headers: { [name: string]: unknown };
                    content: {
                        "application/json": {
                            error: string;
                            message?: string;
                            details?: {
                                path: string;
                                message: string;
                            }[];
                        };
                    };
                };
                404: {
                    headers: { [name: string]: unknown };
                    content: {
                        "application/json": {
                            error: string;
                            message?: string;
                            details?: {
                                path: string;
                                message: string;
                            }[];
                        };
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
    "/api/staff-contacts/{id}": {
        parameters: { query?: never; header?: never; path?: never; cookie?: never };
        get?: never;
        put?: never;
        post?: never;
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: number;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                204: {
                    headers: { [name: string]: unknown };
                    content?: never;
                };
                400: {
                    headers: { [name: string]: unknown };
                    content: {
                        "application/json": {
                            error: string;
                            message?: string;
                            details?: {
                                path: string;
                                message: string;
                            }[];
                        };
                    };
                };
                401: {
                    headers: { [name: string]: unknown };
                    content: {
                        "application/json": {
                            error: string;
                            message?: string;
                            details?: {
                                path: string;
                                message: string;
                            }[];
                        };
                    };
                };
                403: {
                    headers: { [name: string]: unknown };
                    content: {
                        "application/json": {
                            error: string;
                            message?: string;
                            details?: {
                                path: string;
                                message: string;
                            }[];
                        };
                    };
                };
                404: {
                    headers: { [name: string]: unknown };
                    content: {
                        "application/json": {
                            error: string;
                            message?: string;
                            details?: {
                                path: string;
                                message: string;
                            }[];
                        };
                    };
                };
            };
        };
        options?: never;
        head?: never;
        patch: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: number;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        name?: string;
                        phone?: string | null;
                        email?: string | null;
                        kinds?: ("message" | "emergency" | "new_intake" | "after_hours")[];
                    };
                };
            };
            responses: {
                200: {
                    headers: { [name: string]: unknown };
                    content: {
                        "application/json": {
                            id: number;
                            name: string;
                            phone: string | null;
                            email: string | null;
                            kinds: ("message" | "emergency" | "new_intake" | "after_hours")[];
                            createdAt: string | null;
                            updatedAt: string | null;
                        };
                    };
                };
                400: {
                    headers: { [name: string]: unknown };
                    content: {
                        "application/json": {
                            error: string;
                            message?: string;
                            details?: {
                                path: string;
                                message: string;
                            }[];
                        };
                    };
                };
                401: {
                    headers: { [name: string]: unknown };
                    content: {
                        "application/json": {
                            error: string;
                            message?: string;
                            details?: {
                                path: string;
                                message: string;
                            }[];
                        };
                    };
                };
                403: {
                    headers: { [name: string]: unknown };
                    content: {
                        "application/json": {
                            error: string;
                            message?: string;
                            details?: {
                                path: string;
                                message: string;
                            }[];
                        };
                    };
                };
                404: {
                    headers: { [name: string]: unknown };
                    content: {
                        "application/json": {
                            error: string;
                            message?: string;
                            details?: {
                                path: string;
                                message: string;
                            }[];
                        };
                    };
                };
            };
        };
        trace?: never;
    };
    "/api/users": {
        parameters: { query?: never; header?: never; path?: never; cookie?: never };
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                200: {
                    headers: { [name: string]: unknown };
                    content: {
                        "application/json": {
                            id: number;
                            email: string;
                            role: string;
                            disabled: boolean;
                            createdAt: string | null;
                        }[];
                    };
                };
                400: {
                    headers: { [name: string]: unknown };
                    content: {
                        "application/json": {
                            error: string;
                            message?: string;
                            details?: {
                                path: string;
                                message: string;
                            }[];
                        };
                    };
                };
                401: {
                    headers: { [name: string]: unknown };
                    content: {
                        "application/json": {
                            error: string;
                            message?: string;
                            details?: {
                                path: string;
                                message: string;
                            }[];
                        };
                    };
                };
                403: {
                    headers: { [name: string]: unknown };
                    content: {
                        "application/json": {
                            error: string;
                            message?: string;
                            details?: {
                                path: string;
                                message: string;
                            }[];
                        };
                    };
                };
                404: {
                    headers: { [name: string]: unknown };
                    content: {
                        "application/json": {
                            error: string;
                            message?: string;
                            details?: {
                                path: string;
                                message: string;
                            }[];
                        };
                    };
                };
            };
        };
        put?: never;
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        email: string;
                        role: "owner" | "attorney" | "staff" | "viewer";
                        password: string;
                    };
                };
            };
            responses: {
                201: {
                    headers: { [name: string]: unknown };
                    content: {
                        "application/json": {
                            id: number;
                            email: string;
                            role: string;
                            disabled: boolean;
                            createdAt: string | null;
                        };
                    };
                };
                400: {
                    headers: { [name: string]: unknown };
                    content: {
                        "application/json": {
                            error: string;
                            message?: string;
                            details?: {
                                path: string;
                                message: string;
                            }[];
                        };
                    };
                };
                401: {
                    headers: { [name: string]: unknown };
                    content: {
                        "application/json": {
                            error: string;
                            message?: string;
                            details?: {
                                path: string;
                                message: string;
                            }[];
                        };
                    };
                };
                403: {
                    headers: { [name: string]: unknown };
                    content: {
                        "application/json": {
                            error: string;
                            message?: string;
                            details?: {
                                path: string;
                                message: string;
                            }[];
                        };
                    };
                };
                404: {
                    headers: { [name: string]: unknown };
                    content: {
                        "application/json": {
                            error: string;
                            message?: string;
                            details?: {
                                path: string;
                                message: string;
                            }[];
                        };
                    };
                };
                409: {
                    headers: { [name: string]: unknown };
                    content: {
                        "application/json": {
                            error: string;
                            message?: string;
                            details?: {
                                path: string;
                                message: string;
                            }[];
                        };
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
    "/api/users/{id}": {
        parameters: { query?: never; header?: never; path?: never; cookie?: never };
        get?: never;
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: number;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        role?: "owner" | "attorney" | "staff" | "viewer";
                        disabled?: boolean;
                    };
                };
            };
            responses: {
                200: {
                    headers: { [name: string]: unknown };
                    content: {
                        "application/json": {
                            id: number;
                            email: string;
                            role: string;
                            disabled: boolean;
                            createdAt: string | null;
                        };
                    };
                };
                400: {
                    headers: { [name: string]: unknown };
                    content: {
                        "application/json": {
                            error: string;
                            message?: string;
                            details?: {
                                path: string;
                                message: string;
                            }[];
                        };
                    };
                };
                401: {
                    headers: { [name: string]: unknown };
                    content: {
                        "application/json": {
                            error: string;
                            message?: string;
                            details?: {
                                path: string;
                                message: string;
                            }[];
                        };
                    };
                };
                403: {
                    headers: { [name: string]: unknown };
                    content: {
                        "application/json": {
                            error: string;
                            message?: string;
                            details?: {
                                path: string;
                                message: string;
                            }[];
                        };
                    };
                };
                404: {
                    headers: { [name: string]: unknown };
                    content: {
                        "application/json": {
                            error: string;
                            message?: string;
                            details?: {
                                path: string;
                                message: string;
                            }[];
                        };
                    };
                };
                409: {
                    headers: { [name: string]: unknown };
                    content: {
                        "application/json": {
                            error: string;
                            message?: string;
                            details?: {
                                path: string;
                                message: string;
                            }[];
                        };
                    };
                };
            };
        };
        trace?: never;
    };
    "/app": {
        parameters: { query?: never; header?: never; path?: never; cookie?: never };
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                200: {
                    headers: { [name: string]: unknown };
                    content?: never;
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
    "/app/": {
        parameters: { query?: never; header?: never; path?: never; cookie?: never };
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                200: {
                    headers: { [name: string]: unknown };
                    content?: never;
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
    "/app/assets/{file}": {
        parameters: { query?: never; header?: never; path?: never; cookie?: never };
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    file: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                200: {
                    headers: { [name: string]: unknown };
                    content?: never;
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
    "/auth/login": {
        parameters: { query?: never; header?: never; path?: never; cookie?: never };
        get?: never;
        put?: never;
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        email: string;
                        password: string;
                    };
                };
            };
            responses: {
                200: {
                    headers: { [name: string]: unknown };
                    content: {
                        "application/json": {
                            tokenType: "Bearer";
                            accessToken: string;
                            expiresIn: number;
                            refreshToken: string;
                            user: {
                                id: number;
                                email: string;
                                role: "owner" | "attorney" | "staff" | "viewer";
                                tenant: {
                                    id: number;
                                    slug: string;
                                    name: string;
                                };
                            };
                        };
                    };
                };
                401: {
                    headers: { [name: string]: unknown };
                    content: {
                        "application/json": {
                            error: string;
                            message?: string;
                        };
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
    "/auth/logout": {
        parameters: { query?: never; header?: never; path?: never; cookie?: never };
        get?: never;
        put?: never;
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        refreshToken: string;
                    };
                };
            };
            responses: {
                204: {
                    headers: { [name: string]: unknown };
                    content?: never;
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/auth/refresh": {
        parameters: { query?: never; header?: never; path?: never; cookie?: never };
        get?: never;
        put?: never;
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        refreshToken: string;
                    };
                };
            };
            responses: {
                200: {
                    headers: { [name: string]: unknown };
                    content: {
                        "application/json": {
                            tokenType: "Bearer";
                            accessToken: string;
                            expiresIn: number;
                            refreshToken: string;
                            user: {
                                id: number;
                                email: string;
                                role: "owner" | "attorney" | "staff" | "viewer";
                                tenant: {
                                    id: number;
                                    slug: string;
                                    name: string;
                                };
                            };
                        };
                    };
                };
                401: {
                    headers: { [name: string]: unknown };
                    content: {
                        "application/json": {
                            error: string;
                            message?: string;
                        };
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
    "/health": {
        parameters: { query?: never; header?: never; path?: never; cookie?: never };
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                200: {
                    headers: { [name: string]: unknown };
                    content?: never;
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
    "/integrations/clio/callback": {
        parameters: { query?: never; header?: never; path?: never; cookie?: never };
        get: {
            parameters: {
                query?: {
                    code?: string;
                    state?: string;
                    error?: string;
                    error_description?: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                200: {
                    headers: { [name: string]: unknown };
                    content?: never;
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
    "/integrations/lawpay/webhook": {
        parameters: { query?: never; header?: never; path?: never; cookie?: never };
        get?: never;
        put?: never;
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                200: {
                    headers: { [name: string]: unknown };
                    content?: never;
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/integrations/stripe/paid": {
        parameters: { query?: never; header?: never; path?: never; cookie?: never };
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                200: {
                    headers: { [name: string]: unknown };
                    content?: never;
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
    "/integrations/stripe/webhook": {
        parameters: { query?: never; header?: never; path?: never; cookie?: never };
        get?: never;
        put?: never;
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                200: {
                    headers: { [name: string]: unknown };
                    content?: never;
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/integrations/stripe/webhook/{tenant}": {
        parameters: { query?: never; header?: never; path?: never; cookie?: never };
        get?: never;
        put?: never;
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    tenant: number;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                200: {
                    headers: { [name: string]: unknown };
                    content?: never;
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/metrics": {
        parameters: { query?: never; header?: never; path?: never; cookie?: never };
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                200: {
                    headers: { [name: string]: unknown };
                    content?: never;
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
    "/ready": {
        parameters: { query?: never; header?: never; path?: never; cookie?: never };
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                200: {
                    headers: { [name: string]: unknown };
                    content?: never;
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
}
export interface components {
    schemas: {
    };
    responses: never;
    parameters: never;
    requestBodies: never;
    headers: never;
    pathItems: never;
}
export type operations = Record<string, never>;
