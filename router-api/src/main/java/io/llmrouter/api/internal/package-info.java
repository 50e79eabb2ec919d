/**
 * Internal: not API, may change in any release. Helpers the router's own modules share.
 */
package io.llmrouter.api.internal;
