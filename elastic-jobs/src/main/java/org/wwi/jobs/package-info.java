/**
 * WWI elastic jobs: SQL fanned out over pools of databases. See the module's issue and README.md
 * ("Map of the modules") for what lands here.
 */
package org.wwi.jobs;
