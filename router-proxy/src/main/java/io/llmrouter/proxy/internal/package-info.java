/**
 * Internal: not API, may change in any release.
 */
package io.llmrouter.proxy.internal;
