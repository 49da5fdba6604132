/**
 * WWI semantic layer on Apache Calcite. See the module's issue and README.md
 * ("Map of the modules") for what lands here.
 */
package org.wwi.semantic;
